// The seed's chat program (docs/NCB.md §1.3.2), written only with NCB calls: each station adds its own unique name and the
// common group name, keeps an asynchronous DATAGRAM RECEIVE pending on the group name whose POST routine prints the
// message and re-arms the receive, and sends each line typed as a DATAGRAM SEND to the group.
//
//   NcbChat NICK GROUP [ADDRESS/PREFIX]       (through nbtd when it runs; otherwise it binds UDP 137 and 138 itself:
//                                             run as root, e.g. inside a network namespace)
//
// Only the first block (one station for LANA 0) is host set-up; everything after it is NCBs.
using System.Text;
using NetBios;
using NetBios.Daemon;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Transport;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: NcbChat NICK GROUP [ADDRESS/PREFIX]");
    return 2;
}

// --- host set-up: the station's NetBIOS through nbtd when it runs (NBT_DAEMON: docs/IPC.md), else LANA 0 is a
// station of this process on the chosen adapter ---
NetBiosStation? station = null;
INetBios netbios = await NetBiosDaemon.ConnectOrEmbedAsync(async cancellationToken =>
{
    var adapters = NetworkAdapters.Enumerate(includeLoopback: false);
    var adapter = args.Length == 3 ? NetworkAdapters.Select(adapters, args[2])[0] : adapters[0];
    station = await NetBiosStation.BindAsync(adapter, new StationOptions { Role = StationRole.Node, AcceptSessions = false }, cancellationToken: cancellationToken);
    return new NetBiosInterface(new Dictionary<byte, NetBiosStation> { [0] = station });
});
await using var daemonClient = netbios as NetBiosDaemonClient;
await using var ownStation = station;

// --- from here on: NCBs only ---
byte[] nick = NcbName(args[0]);
byte[] group = NcbName(args[1]);

Check(netbios.Submit(new Ncb { Command = NcbCommand.Reset }), "RESET");

var addName = new Ncb { Command = NcbCommand.AddName };
nick.CopyTo(addName.Name, 0);
Check(netbios.Submit(addName), "ADD NAME");
byte nickNumber = addName.NameNumber;

var addGroup = new Ncb { Command = NcbCommand.AddGroupName };
group.CopyTo(addGroup.Name, 0);
Check(netbios.Submit(addGroup), "ADD GROUP NAME");
byte groupNumber = addGroup.NameNumber;

var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = groupNumber, Buffer = new byte[512] };
receive.Post = ncb =>
{
    if (ncb.CommandComplete is NcbReturnCode.GoodReturn or NcbReturnCode.Incomplete)
    {
        if (!ncb.CallName.AsSpan().SequenceEqual(nick)) // our own line comes back to us through the group
        {
            Console.WriteLine($"<{Encoding.ASCII.GetString(ncb.CallName, 0, 15).TrimEnd()}> {Encoding.UTF8.GetString(ncb.Buffer!, 0, ncb.Length)}");
        }
    }
    else
    {
        return; // cancelled by RESET: stop re-arming
    }

    ncb.Length = 512;
    var rearmed = netbios.Submit(ncb); // re-armed inside POST, as the seed says
    if (rearmed != NcbReturnCode.GoodReturn)
    {
        Console.Error.WriteLine($"DATAGRAM RECEIVE not re-armed: NRC 0x{(byte)rearmed:X2} ({rearmed})");
    }
};
receive.Length = 512;
Check(netbios.Submit(receive), "DATAGRAM RECEIVE");

Console.Error.WriteLine($"joined {args[1].ToUpperInvariant()} as {args[0].ToUpperInvariant()} (name numbers {nickNumber} and {groupNumber})");
while (Console.ReadLine() is { } line)
{
    var send = new Ncb { Command = NcbCommand.DatagramSend, NameNumber = nickNumber, Buffer = Encoding.UTF8.GetBytes(line) };
    send.Length = (ushort)send.Buffer.Length;
    group.CopyTo(send.CallName, 0);
    Check(netbios.Submit(send), "DATAGRAM SEND");
}

Console.Error.WriteLine($"leaving {args[1].ToUpperInvariant()}");
Check(netbios.Submit(new Ncb { Command = NcbCommand.Reset, LocalSessionNumber = 1 }), "RESET (free)"); // deletes the names
return 0;

static byte[] NcbName(string text)
{
    byte[] name = new byte[Ncb.NameLength];
    Array.Fill(name, (byte)' ');
    Encoding.ASCII.GetBytes(text.ToUpperInvariant()).AsSpan(0, Math.Min(text.Length, 15)).CopyTo(name);
    name[15] = 0x00;
    return name;
}

static void Check(NcbReturnCode code, string what)
{
    if (code != NcbReturnCode.GoodReturn)
    {
        Console.Error.WriteLine($"{what} failed: NRC 0x{(byte)code:X2} ({code})");
        Environment.Exit(1);
    }
}
