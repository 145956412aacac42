using NetBios.NcbInterface;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>A large SUBMIT whose bytes arrive in pieces, each in a read of its own (<see cref="DaemonSocketReader"/>
/// carries the part not yet whole, docs/IPC.md "Framing"): the data still arrives whole and in order, whichever way it
/// is split, and a client that goes away in the middle of one ends only itself.</summary>
public sealed class DaemonPartialSubmitTests
{
    [Theory]
    [InlineData(1000, 100)] // the data's end and the chain-count arrive together
    [InlineData(0, 2)] // only the fields first; the chain-count split across two reads
    [InlineData(1000, 4)] // the data's end in a read of its own, then the chain-count
    public async Task ASendWhoseDataArrivesInPieces_ArrivesWhole(int firstData, int lastWrite)
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var alice = await bed.ConnectAndResetAsync();
        await AddAsync(alice, "ALICE");
        var listen = Make(NcbCommand.Listen, "ALICE", "*");
        var listening = await StartAsync(alice, listen);

        await using var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(1, 1)));
        Assert.Equal(0x8001, (await raw.ReceiveAsync())!.Value.Type);
        Assert.Equal(NcbReturnCode.GoodReturn, (await SubmitAsync(raw, 1, new Ncb { Command = NcbCommand.Reset })).Code);
        Assert.Equal(NcbReturnCode.GoodReturn, (await SubmitAsync(raw, 2, Make(NcbCommand.AddName, "BOB"))).Code);
        var (callCode, lsn) = await SubmitAsync(raw, 3, Make(NcbCommand.Call, "BOB", "ALICE"));
        Assert.Equal(NcbReturnCode.GoodReturn, callCode);
        Assert.Equal(NcbReturnCode.GoodReturn, await listening);

        var receive = Receive(listen.LocalSessionNumber, ushort.MaxValue);
        var receiving = alice.SubmitAsync(receive, TestContext.Current.CancellationToken);
        byte[] big = new byte[ushort.MaxValue];
        new Random(11).NextBytes(big);
        byte[] frame = Submit(4, Send(lsn, big));

        int first = 10 + DaemonNcbCodec.SubmitHeadLength + firstData;
        int last = frame.Length - lastWrite;
        await raw.SendAsync(frame[..first]);
        Assert.True(await raw.ReadByPeerAsync());
        await raw.SendAsync(frame[first..last]);
        Assert.True(await raw.ReadByPeerAsync());
        await raw.SendAsync(frame[last..]);

        var complete = await raw.ReceiveAsync();
        Assert.Equal(0x8011, complete!.Value.Type);
        Assert.Equal(4u, complete.Value.Id);
        Assert.Equal((byte)NcbReturnCode.GoodReturn, complete.Value.Payload[1]);
        Assert.Equal(NcbReturnCode.GoodReturn, await receiving);
        Assert.Equal(big, receive.Buffer);
    }

    [Fact]
    public async Task AClientGoneInTheMiddleOfASubmit_EndsOnlyItself()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var other = await bed.ConnectAndResetAsync();
        var raw = await RawDaemonSocket.ConnectAsync(bed.SocketPath);
        await raw.SendAsync(RawDaemonSocket.Frame(0x0001, 0, RawDaemonSocket.Hello(1, 1)));
        Assert.Equal(0x8001, (await raw.ReceiveAsync())!.Value.Type);
        Assert.Equal(NcbReturnCode.GoodReturn, (await SubmitAsync(raw, 1, new Ncb { Command = NcbCommand.Reset })).Code);

        byte[] frame = Submit(2, Send(1, new byte[ushort.MaxValue]));
        await raw.SendAsync(frame[..20_000]);
        Assert.True(await raw.ReadByPeerAsync());
        await raw.DisposeAsync();

        await AddAsync(other, "CAROL");
        var another = await bed.ConnectAndResetAsync();
        await AddAsync(another, "DAVE");
    }

    private static byte[] Submit(uint id, Ncb ncb)
    {
        byte[] payload = new byte[DaemonNcbCodec.SubmitLength(ncb)];
        DaemonNcbCodec.WriteSubmit(payload, ncb, 0, noWait: false);
        return RawDaemonSocket.Frame(0x0010, id, payload);
    }

    /// <summary>Sends a waited SUBMIT and reads its COMPLETE: the code and the LSN.</summary>
    private static async Task<(NcbReturnCode Code, byte Lsn)> SubmitAsync(RawDaemonSocket raw, uint id, Ncb ncb)
    {
        await raw.SendAsync(Submit(id, ncb));
        var complete = await raw.ReceiveAsync();
        Assert.NotNull(complete);
        Assert.Equal(0x8011, complete.Value.Type);
        Assert.Equal(id, complete.Value.Id);
        return ((NcbReturnCode)complete.Value.Payload[1], complete.Value.Payload[2]);
    }
}
