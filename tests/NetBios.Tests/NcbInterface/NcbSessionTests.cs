using System.Buffers.Binary;
using System.Text;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Tests.TestCommon;
using Xunit;
using static NetBios.Tests.NcbInterface.NcbTestSupport;

namespace NetBios.Tests.NcbInterface;

/// <summary>NCB session commands (CALL, LISTEN, SEND, CHAIN SEND, RECEIVE, RECEIVE ANY, HANGUP, SESSION STATUS) between
/// stations, and between two names of one station, on an in-memory network with a fake clock.</summary>
public sealed class NcbSessionTests
{
    /// <summary>One station as LANA 0 of its own NCB interface.</summary>
    private sealed class Lana(StationTestNetwork net, NetBiosStation station, INetBios netbios)
    {
        public INetBios Netbios => netbios;

        public NetBiosStation Station => station;

        public Task<NcbReturnCode> Run(Ncb ncb) => Sync(net, netbios, ncb);

        public Task<byte> Add(string name, bool group = false) => AddAsync(net, netbios, name, group);
    }

    private static async Task<Lana> LanaAsync(StationTestNetwork net)
    {
        var station = net.AddStation();
        return new Lana(net, station, await ResetAsync(net, station));
    }

    /// <summary>B listens for anyone on BOB, A calls BOB from ALICE: the two LSNs.</summary>
    private static async Task<(byte Caller, byte Listener)> ConnectAsync(StationTestNetwork net, Lana caller, string from, Lana listener, string to)
    {
        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, to, "*");
        Assert.Equal(NcbReturnCode.GoodReturn, listener.Netbios.Submit(listen));
        var call = Make(NcbCommand.Call, from, to);
        Assert.Equal(NcbReturnCode.GoodReturn, await caller.Run(call));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, listen));
        Assert.Equal(NetBiosName.Create(from, 0).ToArray(), listen.CallName);
        return (call.LocalSessionNumber, listen.LocalSessionNumber);
    }

    private static Ncb Send(byte lsn, string text, NcbCommand command = NcbCommand.Send)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        return new Ncb { Command = command, LocalSessionNumber = lsn, Buffer = data, Length = (ushort)data.Length };
    }

    private static Ncb Receive(byte lsn, int size, NcbCommand command = NcbCommand.Receive) =>
        new() { Command = command, LocalSessionNumber = lsn, Buffer = new byte[size], Length = (ushort)size };

    private static string Text(Ncb ncb) => Encoding.ASCII.GetString(ncb.Buffer!, 0, ncb.Length);

    [Fact]
    public async Task CallListenSendReceive_IncompleteMessagesChainSendAndHangup()
    {
        await using var net = new StationTestNetwork();
        var a = await LanaAsync(net);
        var b = await LanaAsync(net);
        await a.Add("ALICE");
        await b.Add("BOB");
        var (lsnA, lsnB) = await ConnectAsync(net, a, "ALICE", b, "BOB");
        Assert.InRange(lsnA, 1, 254);
        Assert.InRange(lsnB, 1, 254);

        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(Send(lsnA, "hello")));
        var part = Receive(lsnB, 3);
        Assert.Equal(NcbReturnCode.Incomplete, await b.Run(part));
        Assert.Equal("hel", Text(part));
        var rest = Receive(lsnB, 100);
        Assert.Equal(NcbReturnCode.GoodReturn, await b.Run(rest));
        Assert.Equal("lo", Text(rest));

        var chain = Send(lsnA, "first+", NcbCommand.ChainSend);
        chain.ChainBuffer = Encoding.ASCII.GetBytes("second");
        chain.ChainLength = 6;
        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(chain));
        var whole = Receive(lsnB, 100);
        Assert.Equal(NcbReturnCode.GoodReturn, await b.Run(whole));
        Assert.Equal("first+second", Text(whole));

        Assert.Equal(NcbReturnCode.GoodReturn, await b.Run(Send(lsnB, "no ack", NcbCommand.SendNoAck)));
        var reply = Receive(lsnA, 100);
        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(reply));
        Assert.Equal("no ack", Text(reply));

        var pending = Receive(lsnB, 100, NcbCommand.Receive | NcbCommand.Asynchronous);
        b.Netbios.Submit(pending);
        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = lsnA }));
        Assert.Equal(NcbReturnCode.SessionClosed, await Completed(net, pending));
        Assert.Equal(NcbReturnCode.SessionNumberOutOfRange, await a.Run(new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = lsnA }));
        Assert.Equal(NcbReturnCode.SessionNumberOutOfRange, await b.Run(Receive(lsnB, 10))); // reported closed, then gone
    }

    [Fact]
    public async Task ReceiveAny_SessionStatus_AndTwoNamesOnOneStation()
    {
        await using var net = new StationTestNetwork();
        var a = await LanaAsync(net);
        byte left = await a.Add("LEFT");
        byte right = await a.Add("RIGHT");
        var (lsnLeft, lsnRight) = await ConnectAsync(net, a, "LEFT", a, "RIGHT");
        var (lsnLeft2, lsnRight2) = await ConnectAsync(net, a, "LEFT", a, "RIGHT"); // a second session between the same names
        Assert.Equal(4, new[] { lsnLeft, lsnRight, lsnLeft2, lsnRight2 }.Distinct().Count());

        var any = Receive(0, 100, NcbCommand.ReceiveAny | NcbCommand.Asynchronous);
        any.NameNumber = right;
        a.Netbios.Submit(any);
        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(Send(lsnLeft2, "via the second")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, any));
        Assert.Equal(lsnRight2, any.LocalSessionNumber);
        Assert.Equal("via the second", Text(any));

        var anyName = Receive(0, 100, NcbCommand.ReceiveAny | NcbCommand.Asynchronous);
        anyName.NameNumber = 0xFF;
        a.Netbios.Submit(anyName);
        var status = Make(NcbCommand.SessionStatus, "RIGHT");
        status.Buffer = new byte[200];
        status.Length = 200;
        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(status));
        Assert.Equal(right, status.Buffer[0]);
        Assert.Equal(2, status.Buffer[1]);                   // sessions of RIGHT
        Assert.Equal(1, status.Buffer[3]);                   // RECEIVE ANY outstanding (the 0xFF one counts for every name)
        Assert.Equal(4 + (2 * 36), status.Length);
        var first = status.Buffer.AsSpan(4, 36);
        Assert.Equal(3, first[1]);                           // SESSION_ESTABLISHED
        Assert.Equal(NetBiosName.Create("RIGHT", 0).ToArray(), first[2..18].ToArray());
        Assert.Equal(NetBiosName.Create("LEFT", 0).ToArray(), first[18..34].ToArray());

        var all = Make(NcbCommand.SessionStatus, "*");
        all.Buffer = new byte[10];
        all.Length = 10;
        Assert.Equal(NcbReturnCode.Incomplete, await a.Run(all)); // 4 sessions do not fit in 10 bytes
        Assert.Equal(4, all.Buffer[1]);

        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(Send(lsnRight, "back")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, anyName));
        Assert.Equal(lsnLeft, anyName.LocalSessionNumber);
        Assert.Equal(left, anyName.NameNumber);
    }

    [Fact]
    public async Task CallRefusals_NotListening_NoSuchName_UnknownLocalName()
    {
        await using var net = new StationTestNetwork();
        var a = await LanaAsync(net);
        var b = await LanaAsync(net);
        await a.Add("ALICE");
        await b.Add("IDLE");

        Assert.Equal(NcbReturnCode.RemoteSessionTableFull, await a.Run(Make(NcbCommand.Call, "ALICE", "IDLE")));
        Assert.Equal(NcbReturnCode.NoCall, await a.Run(Make(NcbCommand.Call, "ALICE", "NOBODY")));
        Assert.Equal(NcbReturnCode.NoWildcard, await a.Run(Make(NcbCommand.Call, "STRANGER", "IDLE")));
        Assert.Equal(NcbReturnCode.SessionNumberOutOfRange, await a.Run(Send(77, "x")));
    }

    [Fact]
    public async Task DeleteNameWithSessions_IsActiveSessions_AndTheNameGoesWhenTheyEnd()
    {
        await using var net = new StationTestNetwork();
        var a = await LanaAsync(net);
        var b = await LanaAsync(net);
        await a.Add("ALICE");
        byte bob = await b.Add("BOB");
        var (lsnA, _) = await ConnectAsync(net, a, "ALICE", b, "BOB");

        Assert.Equal(NcbReturnCode.ActiveSessions, await b.Run(Make(NcbCommand.DeleteName, "BOB")));
        Assert.NotNull(b.Station.GetName(NetBiosName.Create("BOB", 0)));
        Assert.Equal(NcbReturnCode.NoWildcard, await b.Run(Make(NcbCommand.Listen, "BOB", "*"))); // no new sessions
        var status = Make(NcbCommand.AdapterStatus, callName: "*");
        status.Buffer = new byte[200];
        status.Length = 200;
        Assert.Equal(NcbReturnCode.GoodReturn, await b.Run(status));
        Assert.Equal(bob, status.Buffer[60 + 16]); // still numbered,
        Assert.Equal(0x05, status.Buffer[60 + 17]); // DEREGISTERED

        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = lsnA }));
        await net.Run(new ValueTask<bool>(Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (b.Station.GetName(NetBiosName.Create("BOB", 0)) is not null)
            {
                await Task.Delay(2, timeout.Token);
            }

            return true;
        })));
        var fromBob = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = bob, Buffer = new byte[1], Length = 1 };
        Assert.Equal(NcbReturnCode.IllegalNameNumber, await b.Run(fromBob)); // the number went with the name
    }

    [Fact]
    public async Task ReceiveTimeoutFromTheListenNcb_IsCommandTimedOut_OnTheFakeClock_AndCancelAbortsAPendingCall()
    {
        await using var net = new StationTestNetwork();
        var a = await LanaAsync(net);
        var b = await LanaAsync(net);
        await a.Add("ALICE");
        await b.Add("BOB");
        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "BOB", "ALICE");
        listen.ReceiveTimeout = 4; // 2 s
        b.Netbios.Submit(listen);
        var call = Make(NcbCommand.Call, "ALICE", "BOB");
        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(call));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, listen));

        var receive = Receive(listen.LocalSessionNumber, 10);
        Assert.Equal(NcbReturnCode.CommandTimedOut, await b.Run(receive));
        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(Send(call.LocalSessionNumber, "still up")));
        var after = Receive(listen.LocalSessionNumber, 10);
        Assert.Equal(NcbReturnCode.GoodReturn, await b.Run(after));

        var pendingListen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "BOB", "*");
        b.Netbios.Submit(pendingListen);
        Assert.Equal(NcbReturnCode.GoodReturn, await b.Run(new Ncb { Command = NcbCommand.Cancel, CancelTarget = pendingListen }));
        Assert.Equal(NcbReturnCode.CommandCancelled, pendingListen.CommandComplete);
    }

    /// <summary>CANCEL ends every kind of pending wait with NRC_CMDCAN, and refuses (NRC_CANCEL) the commands that
    /// cannot be cancelled while they are still pending.</summary>
    [Fact]
    public async Task Cancel_EveryCancellableWait_AndTheRefusals()
    {
        await using var net = new StationTestNetwork();
        var a = await LanaAsync(net);
        var b = await LanaAsync(net);
        byte alice = await a.Add("ALICE");
        await b.Add("BOB");
        var (lsnA, _) = await ConnectAsync(net, a, "ALICE", b, "BOB");

        var waits = new List<Ncb>
        {
            Receive(lsnA, 10, NcbCommand.Receive | NcbCommand.Asynchronous),
            new() { Command = NcbCommand.ReceiveAny | NcbCommand.Asynchronous, NameNumber = alice, Buffer = new byte[10], Length = 10 },
            new() { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = alice, Buffer = new byte[10], Length = 10 },
            new() { Command = NcbCommand.DatagramReceiveBroadcast | NcbCommand.Asynchronous, NameNumber = alice, Buffer = new byte[10], Length = 10 },
            Make(NcbCommand.Listen | NcbCommand.Asynchronous, "ALICE", "*"),
            Make(NcbCommand.FindName | NcbCommand.Asynchronous, callName: "NOBODY"),              // a broadcast query in progress
            Make(NcbCommand.AdapterStatus | NcbCommand.Asynchronous, callName: "NOBODY"),         // resolving the remote name
            new() { Command = NcbCommand.LanStatusAlert | NcbCommand.Asynchronous },
        };
        foreach (var wait in waits)
        {
            wait.Buffer ??= new byte[100];
            if (wait.Length == 0 && wait.BaseCommand is NcbCommand.FindName or NcbCommand.AdapterStatus)
            {
                wait.Length = 100;
            }

            Assert.Equal(NcbReturnCode.GoodReturn, a.Netbios.Submit(wait));
        }

        foreach (var wait in waits)
        {
            Assert.True(NcbReturnCode.GoodReturn == await a.Run(new Ncb { Command = NcbCommand.Cancel, CancelTarget = wait }), wait.ToString());
            Assert.True(NcbReturnCode.CommandCancelled == wait.CommandComplete, wait.ToString());
        }

        // ADD NAME and ADD GROUP NAME take 750 ms of registration: pending, but not cancellable.
        foreach (var add in new[] { Make(NcbCommand.AddName | NcbCommand.Asynchronous, "LATE"), Make(NcbCommand.AddGroupName | NcbCommand.Asynchronous, "LATEGRP") })
        {
            a.Netbios.Submit(add);
            Assert.Equal(NcbReturnCode.NotCancellable, await a.Run(new Ncb { Command = NcbCommand.Cancel, CancelTarget = add }));
            Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, add));
        }

        Assert.Equal(NcbReturnCode.GoodReturn, await a.Run(Send(lsnA, "the session survived")));
    }

    /// <summary>Issue 7's "every command code at least once": each of the 27 codes, with the code it must return.</summary>
    [Fact]
    public async Task EveryCommandCode_IsIssuedAndAnswered()
    {
        await using var net = new StationTestNetwork();
        var a = await LanaAsync(net);
        var b = await LanaAsync(net);
        var seen = new Dictionary<NcbCommand, NcbReturnCode>();
        async Task<NcbReturnCode> Issue(Lana lana, Ncb ncb)
        {
            var code = await lana.Run(ncb);
            seen.TryAdd(ncb.BaseCommand, code);
            return code;
        }

        await Issue(a, new Ncb { Command = NcbCommand.Reset });
        await Issue(a, new Ncb { Command = NcbCommand.Enumerate, Buffer = new byte[8], Length = 8 });
        var alice = Make(NcbCommand.AddName, "ALICE");
        await Issue(a, alice);
        var group = Make(NcbCommand.AddGroupName, "TEAM");
        await Issue(a, group);
        await b.Add("BOB");
        await Issue(a, new Ncb { Command = NcbCommand.AdapterStatus, Buffer = new byte[300], Length = 300, CallName = { [0] = (byte)'*' } });
        var find = Make(NcbCommand.FindName, callName: "BOB");
        find.Buffer = new byte[100];
        find.Length = 100;
        await Issue(a, find);

        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "BOB", "*");
        b.Netbios.Submit(listen);
        var call = Make(NcbCommand.Call, "ALICE", "BOB");
        await Issue(a, call);
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, listen));
        seen.TryAdd(NcbCommand.Listen, listen.CommandComplete);
        byte lsn = call.LocalSessionNumber;
        await Issue(a, Send(lsn, "one"));
        await Issue(a, Send(lsn, "two", NcbCommand.SendNoAck));
        var chain = Send(lsn, "th", NcbCommand.ChainSend);
        chain.ChainBuffer = "ree"u8.ToArray();
        chain.ChainLength = 3;
        await Issue(a, chain);
        var chainNoAck = Send(lsn, "fo", NcbCommand.ChainSendNoAck);
        chainNoAck.ChainBuffer = "ur"u8.ToArray();
        chainNoAck.ChainLength = 2;
        await Issue(a, chainNoAck);
        Assert.Equal(NcbReturnCode.GoodReturn, await b.Run(Receive(listen.LocalSessionNumber, 10)));
        await Issue(b, Receive(listen.LocalSessionNumber, 10));
        var any = Receive(0, 10, NcbCommand.ReceiveAny);
        any.NameNumber = 0xFF;
        await Issue(b, any);
        var status = Make(NcbCommand.SessionStatus, "*");
        status.Buffer = new byte[100];
        status.Length = 100;
        await Issue(a, status);

        var datagramReceive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = alice.NameNumber, Buffer = new byte[10], Length = 10 };
        var broadcastReceive = new Ncb { Command = NcbCommand.DatagramReceiveBroadcast | NcbCommand.Asynchronous, NameNumber = alice.NameNumber, Buffer = new byte[10], Length = 10 };
        a.Netbios.Submit(datagramReceive);
        a.Netbios.Submit(broadcastReceive);
        var datagram = Make(NcbCommand.DatagramSend, callName: "ALICE");
        datagram.NameNumber = alice.NameNumber;
        datagram.Buffer = "dg"u8.ToArray();
        datagram.Length = 2;
        await Issue(a, datagram);
        await Issue(a, new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = alice.NameNumber, Buffer = "bc"u8.ToArray(), Length = 2 });
        seen.TryAdd(NcbCommand.DatagramReceive, await Completed(net, datagramReceive));
        seen.TryAdd(NcbCommand.DatagramReceiveBroadcast, await Completed(net, broadcastReceive));

        var alert = new Ncb { Command = NcbCommand.LanStatusAlert | NcbCommand.Asynchronous };
        a.Netbios.Submit(alert);
        await Issue(a, new Ncb { Command = NcbCommand.Cancel, CancelTarget = alert });
        seen.TryAdd(NcbCommand.LanStatusAlert, alert.CommandComplete);
        await Issue(a, new Ncb { Command = NcbCommand.Unlink });
        await Issue(a, new Ncb { Command = NcbCommand.Trace });
        await Issue(a, new Ncb { Command = NcbCommand.Action, Buffer = new byte[8], Length = 8 });
        await Issue(a, new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = lsn });
        await Issue(a, Make(NcbCommand.DeleteName, "TEAM"));

        var expected = new Dictionary<NcbCommand, NcbReturnCode>
        {
            [NcbCommand.Call] = NcbReturnCode.GoodReturn,
            [NcbCommand.Listen] = NcbReturnCode.GoodReturn,
            [NcbCommand.Hangup] = NcbReturnCode.GoodReturn,
            [NcbCommand.Send] = NcbReturnCode.GoodReturn,
            [NcbCommand.Receive] = NcbReturnCode.GoodReturn,
            [NcbCommand.ReceiveAny] = NcbReturnCode.GoodReturn,
            [NcbCommand.ChainSend] = NcbReturnCode.GoodReturn,
            [NcbCommand.DatagramSend] = NcbReturnCode.GoodReturn,
            [NcbCommand.DatagramReceive] = NcbReturnCode.GoodReturn,
            [NcbCommand.DatagramSendBroadcast] = NcbReturnCode.GoodReturn,
            [NcbCommand.DatagramReceiveBroadcast] = NcbReturnCode.GoodReturn,
            [NcbCommand.AddName] = NcbReturnCode.GoodReturn,
            [NcbCommand.DeleteName] = NcbReturnCode.GoodReturn,
            [NcbCommand.Reset] = NcbReturnCode.GoodReturn,
            [NcbCommand.AdapterStatus] = NcbReturnCode.GoodReturn,
            [NcbCommand.SessionStatus] = NcbReturnCode.GoodReturn,
            [NcbCommand.Cancel] = NcbReturnCode.GoodReturn,
            [NcbCommand.AddGroupName] = NcbReturnCode.GoodReturn,
            [NcbCommand.Enumerate] = NcbReturnCode.GoodReturn,
            [NcbCommand.Unlink] = NcbReturnCode.GoodReturn,
            [NcbCommand.SendNoAck] = NcbReturnCode.GoodReturn,
            [NcbCommand.ChainSendNoAck] = NcbReturnCode.GoodReturn,
            [NcbCommand.LanStatusAlert] = NcbReturnCode.CommandCancelled,
            [NcbCommand.Action] = NcbReturnCode.IllegalCommand,
            [NcbCommand.FindName] = NcbReturnCode.GoodReturn,
            [NcbCommand.Trace] = NcbReturnCode.GoodReturn,
        };
        Assert.Equal(Enum.GetValues<NcbCommand>().Where(c => c != NcbCommand.Asynchronous).Order(), seen.Keys.Order());
        Assert.Equal(expected.OrderBy(e => e.Key), seen.OrderBy(e => e.Key));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(find.Buffer)); // FIND_NAME_HEADER node_count: one owner
    }
}
