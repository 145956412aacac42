using System.Text;
using NetBios.NcbInterface;
using NetBios.Station;

namespace NetBios.Samples;

/// <summary>
/// Guide §7: the classic NetBIOS 3.0 interface. Network Control Blocks (docs/NCB.md) submitted to a
/// <see cref="NetBiosInterface"/> (an <see cref="INetBios"/>) whose LANA 0 is a station: RESET, ADD NAME, CALL, SEND,
/// RECEIVE, HANG UP, DELETE NAME.
/// </summary>
internal static class NcbSample
{
    /// <summary>Calls FILESRV&lt;20&gt; (the peer echoes one message) using only NCBs.</summary>
    /// <param name="station">The station that becomes LANA 0.</param>
    /// <param name="peer">The peer, which listens on FILESRV&lt;20&gt; through the async API.</param>
    /// <param name="output">Where the sample writes each NCB's return code.</param>
    /// <param name="cancellationToken">Cancels the peer's listen; the NCBs carry their own timeouts.</param>
    /// <returns>The reply received with NCB RECEIVE.</returns>
    public static async Task<string> RunAsync(NetBiosStation station, NetBiosStation peer, TextWriter output, CancellationToken cancellationToken)
    {
        Task echo = SessionSample.EchoOnceAsync(peer, NetBiosName.Parse("FILESRV#20"), cancellationToken);

        // <guide:ncb>
        INetBios netbios = new NetBiosInterface(new Dictionary<byte, NetBiosStation> { [0] = station });

        // NCB names are 16 raw bytes. A short name padded with spaces through byte 16 would be NAME<20>: set the
        // 16th byte explicitly (this copies the NetBiosName bytes, so NCBCLIENT<00> and FILESRV<20>).
        byte[] local = NetBiosName.Parse("NCBCLIENT").ToArray();
        byte[] remote = NetBiosName.Parse("FILESRV#20").ToArray();

        await Submit(netbios, new Ncb { Command = NcbCommand.Reset }, "RESET", output);

        var addName = new Ncb { Command = NcbCommand.AddName };
        local.CopyTo(addName.Name, 0);
        await Submit(netbios, addName, "ADD NAME", output);

        var call = new Ncb { Command = NcbCommand.Call, ReceiveTimeout = 20, SendTimeout = 20 }; // timeouts in 500 ms units
        local.CopyTo(call.Name, 0);
        remote.CopyTo(call.CallName, 0);
        await Submit(netbios, call, "CALL", output);
        byte lsn = call.LocalSessionNumber;

        byte[] message = Encoding.ASCII.GetBytes("ping");
        await Submit(netbios, new Ncb { Command = NcbCommand.Send, LocalSessionNumber = lsn, Buffer = message, Length = (ushort)message.Length }, "SEND", output);

        var receive = new Ncb { Command = NcbCommand.Receive, LocalSessionNumber = lsn, Buffer = new byte[512], Length = 512 };
        await Submit(netbios, receive, "RECEIVE", output);
        string reply = Encoding.ASCII.GetString(receive.Buffer!, 0, receive.Length); // Length: the bytes received

        await Submit(netbios, new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = lsn }, "HANG UP", output);
        var deleteName = new Ncb { Command = NcbCommand.DeleteName };
        local.CopyTo(deleteName.Name, 0);
        await Submit(netbios, deleteName, "DELETE NAME", output);
        // </guide:ncb>
        await echo;
        output.WriteLine($"reply: {reply}");
        return reply;
    }

    // <guide:ncb-submit>
    private static async Task Submit(INetBios netbios, Ncb ncb, string what, TextWriter output)
    {
        NcbReturnCode code = await netbios.SubmitAsync(ncb); // completes when the command does (NRC in ncb.ReturnCode too)
        output.WriteLine($"{what}: 0x{(byte)code:X2} {code}");
        if (code != NcbReturnCode.GoodReturn)
        {
            throw new InvalidOperationException($"{what} failed: NRC 0x{(byte)code:X2} ({code})");
        }
    }
    // </guide:ncb-submit>
}
