using System.Buffers.Binary;
using System.Text;
using NetBios.NcbInterface;
using NetBios.Tests.TestCommon;
using Xunit;
using static NetBios.Tests.NcbInterface.NcbTestSupport;

namespace NetBios.Tests.NcbInterface;

/// <summary>The NCB details C programs rely on (issue 16 item 4; docs/LIBNETBIOS.md): immediate refusals of no-wait
/// NCBs, the event's reset and signal, SESSION STATUS NRC_BUFLEN, DELETE NAME ending non-session waits, ADAPTER STATUS
/// from real state.</summary>
public sealed class NcbDetailTests
{
    [Fact]
    public async Task NoWaitRefusedBeforeItStarts_ReturnsTheCode_WithoutPostOrEvent()
    {
        await using var net = new StationTestNetwork();
        var nb = Open(net.AddStation());
        int posts = 0;
        using var signalled = new ManualResetEvent(true);

        Ncb Async(NcbCommand command, byte lana = 0) => new()
        {
            Command = command | NcbCommand.Asynchronous, LanaNumber = lana, Post = _ => Interlocked.Increment(ref posts), Event = signalled,
        };

        var unknownLana = Async(NcbCommand.Listen, lana: 9);
        Assert.Equal(NcbReturnCode.InvalidLana, nb.Submit(unknownLana));
        Assert.Equal(NcbReturnCode.InvalidLana, unknownLana.CommandComplete);
        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, nb.Submit(Async(NcbCommand.DatagramReceive)));
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.ResetAsync(0)));

        Assert.Equal(NcbReturnCode.IllegalCommand, nb.Submit(Async((NcbCommand)0x7F)));
        var tooLong = Async(NcbCommand.DatagramReceive);
        tooLong.NameNumber = 0xFF;
        tooLong.Buffer = new byte[10];
        tooLong.Length = 100;
        Assert.Equal(NcbReturnCode.BufferLength, nb.Submit(tooLong));
        Assert.Equal(NcbReturnCode.BufferLength, tooLong.ReturnCode);
        var action = Async(NcbCommand.Action);
        Assert.Equal(NcbReturnCode.BufferLength, nb.Submit(action)); // shorter than ACTION_HEADER
        Assert.Equal(0, posts);
        Assert.True(signalled.WaitOne(0)); // untouched
    }

    [Fact]
    public async Task NoWaitAccepted_ResetsTheEvent_ThenSignalsItAtCompletion()
    {
        await using var net = new StationTestNetwork();
        var station = net.AddStation();
        var nb = await ResetAsync(net, station);
        await AddAsync(net, nb, "WAITER");
        using var done = new ManualResetEvent(true);
        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "WAITER", "*");
        listen.Event = done;

        Assert.Equal(NcbReturnCode.GoodReturn, nb.Submit(listen));
        Assert.False(done.WaitOne(0));
        Assert.Equal(NcbReturnCode.Pending, listen.CommandComplete);
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.CancelAsync(listen)));
        Assert.Equal(NcbReturnCode.CommandCancelled, await Completed(net, listen));
        Assert.True(done.WaitOne(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SessionStatus_BufferSmallerThanTheHeader_IsBufferLength()
    {
        await using var net = new StationTestNetwork();
        var nb = await ResetAsync(net, net.AddStation());
        byte number = await AddAsync(net, nb, "STATUS");
        var small = Make(NcbCommand.SessionStatus, "STATUS");
        small.Buffer = new byte[3];
        small.Length = 3;
        var header = Make(NcbCommand.SessionStatus, "STATUS");
        header.Buffer = new byte[4];
        header.Length = 4;

        Assert.Equal(NcbReturnCode.BufferLength, await Sync(net, nb, small));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, header));
        Assert.Equal(new byte[] { number, 0, 0, 0 }, header.Buffer);
    }

    [Fact]
    public async Task DeleteName_WithOnlyNonSessionCommandsPending_RemovesItAtOnce_AndEndsThemWithNameDeleted()
    {
        await using var net = new StationTestNetwork();
        var station = net.AddStation();
        var nb = await ResetAsync(net, station);
        byte number = await AddAsync(net, nb, "GOING");
        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "GOING", "*");
        var receiveAny = new Ncb { Command = NcbCommand.ReceiveAny | NcbCommand.Asynchronous, NameNumber = number, Buffer = new byte[8], Length = 8 };
        var datagram = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = number, Buffer = new byte[8], Length = 8 };
        var broadcast = new Ncb { Command = NcbCommand.DatagramReceiveBroadcast | NcbCommand.Asynchronous, NameNumber = number, Buffer = new byte[8], Length = 8 };
        var otherName = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = 0xFF, Buffer = new byte[8], Length = 8 };
        foreach (var ncb in new[] { listen, receiveAny, datagram, broadcast, otherName })
        {
            Assert.Equal(NcbReturnCode.GoodReturn, nb.Submit(ncb));
        }

        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, Make(NcbCommand.DeleteName, "GOING")));

        Assert.Equal(NcbReturnCode.NameDeleted, listen.CommandComplete);
        Assert.Equal(NcbReturnCode.NameDeleted, receiveAny.CommandComplete);
        Assert.Equal(NcbReturnCode.NameDeleted, datagram.CommandComplete);
        Assert.Equal(NcbReturnCode.NameDeleted, broadcast.CommandComplete);
        Assert.Equal(NcbReturnCode.Pending, otherName.CommandComplete); // waits on any name, not on this one
        Assert.Null(station.GetName(NetBiosName.Create("GOING", 0x00)));
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.CancelAsync(otherName)));
    }

    [Fact]
    public async Task AdapterStatus_ReportsSessionsSizesAndTrafficFromRealState()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation(o => o.Datagrams.MaxUserDataLength = 400);
        var b = net.AddStation(o => o.Sessions.MaxMessageSize = 40_000);
        var nbA = await ResetAsync(net, a, sessions: 5, commands: 9);
        var nbB = await ResetAsync(net, b);
        byte alice = await AddAsync(net, nbA, "ALICE");
        await AddAsync(net, nbB, "BOB");

        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "BOB", "*");
        Assert.Equal(NcbReturnCode.GoodReturn, nbB.Submit(listen));
        var call = Make(NcbCommand.Call, "ALICE", "BOB");
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, call));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, listen));
        byte[] hello = Encoding.ASCII.GetBytes("hello");
        var receive = new Ncb { Command = NcbCommand.Receive | NcbCommand.Asynchronous, LocalSessionNumber = listen.LocalSessionNumber, Buffer = new byte[16], Length = 16 };
        Assert.Equal(NcbReturnCode.GoodReturn, nbB.Submit(receive));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, new Ncb { Command = NcbCommand.Send, LocalSessionNumber = call.LocalSessionNumber, Buffer = hello, Length = 5 }));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, receive));
        var datagram = Make(NcbCommand.DatagramSend, callName: "BOB");
        datagram.NameNumber = alice;
        datagram.Buffer = hello;
        datagram.Length = 5;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, datagram));

        var statusA = await StatusAsync(net, nbA);
        var statusB = await StatusAsync(net, nbB);

        Assert.Equal(1, U16(statusA, 50));                 // pending_sess: the open session
        Assert.Equal(5, U16(statusA, 52));                 // max_cfg_sess from RESET
        Assert.Equal(5, U16(statusA, 54));                 // max_sess
        Assert.Equal(9, U16(statusA, 44));                 // max_ncbs from RESET
        Assert.Equal(8, U16(statusA, 40));                 // free_ncbs: the ASTAT itself is pending
        Assert.Equal(400, U16(statusA, 48));               // max_dgram_size from the station's settings
        Assert.Equal(40_000, U16(statusB, 56));            // max_sess_pkt_size from the station's settings
        Assert.Equal(65535, U16(statusA, 56));             // 131071 does not fit a WORD
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(statusA.AsSpan(20)) >= 2); // the message and the datagram
        Assert.True(BinaryPrimitives.ReadUInt32LittleEndian(statusB.AsSpan(24)) >= 1); // the message
        Assert.Equal(1, U16(statusB, 50));
    }

    private static async Task<byte[]> StatusAsync(StationTestNetwork net, INetBios nb)
    {
        var astat = Make(NcbCommand.AdapterStatus, callName: "*");
        astat.Buffer = new byte[600];
        astat.Length = 600;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, astat));
        return astat.Buffer;
    }

    private static int U16(byte[] status, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(status.AsSpan(offset));
}
