using System.Buffers.Binary;
using System.Net;
using System.Text;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Tests.TestCommon;
using Xunit;
using static NetBios.Tests.NcbInterface.NcbTestSupport;

namespace NetBios.Tests.NcbInterface;

/// <summary>The NCB interface (docs/NCB.md §1.3, §2) over stations on an in-memory segment with a fake clock.</summary>
public sealed class NcbTests
{
    [Fact]
    public async Task BeforeReset_EnvironmentNotDefined_UnknownLana_Bridge_EnumListsLanas()
    {
        await using var net = new StationTestNetwork();
        var nb = Open((0, net.AddStation()), (3, net.AddStation()));
        var enumerate = new Ncb { Command = NcbCommand.Enumerate, Buffer = new byte[10], Length = 10 };

        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, await Sync(net, nb, Make(NcbCommand.AddName, "X")));
        Assert.Equal(NcbReturnCode.InvalidLana, await Sync(net, nb, Make(NcbCommand.Reset, lana: 7)));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, enumerate));
        Assert.Equal(new byte[] { 2, 0, 3 }, enumerate.Buffer[..enumerate.Length]);
    }

    [Fact]
    public async Task AddName_NumbersDuplicatesWildcardsConflictsAndTableFull()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a, names: 3);
        var nbB = await ResetAsync(net, b);

        byte first = await AddAsync(net, nbA, "FIRST");
        byte team = await AddAsync(net, nbA, "TEAM", group: true);
        byte teamOnB = await AddAsync(net, nbB, "TEAM", group: true);

        Assert.InRange(first, 2, 254); // 1 is NAME_NUMBER_1, the permanent name
        Assert.NotEqual(first, team);
        Assert.InRange(teamOnB, 2, 254);
        Assert.Equal(NcbReturnCode.DuplicateName, await Sync(net, nbA, Make(NcbCommand.AddName, "FIRST")));
        Assert.Equal(NcbReturnCode.NoWildcard, await Sync(net, nbA, Make(NcbCommand.AddName, "*")));
        Assert.Equal(NcbReturnCode.NameInUse, await Sync(net, nbB, Make(NcbCommand.AddName, "FIRST")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, Make(NcbCommand.AddName, "THIRD")));
        Assert.Equal(NcbReturnCode.NameTableFull, await Sync(net, nbA, Make(NcbCommand.AddName, "FOURTH")));
    }

    [Fact]
    public async Task ResetWithNameNumber1_AddsThePermanentNodeName_AndAConflictedNameIsNameConflict()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation(o => o.NameService.UnitId = [0x02, 0x00, 0x5E, 0x10, 0x20, 0x30]);
        var nb = Open(a);
        var reset = Make(NcbCommand.Reset);
        reset.CallName[3] = 1; // NAME_NUMBER_1
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, reset));
        byte alice = await AddAsync(net, nb, "ALICE");
        var status = Make(NcbCommand.AdapterStatus, callName: "*");
        status.Buffer = new byte[200];
        status.Length = 200;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, status));

        var permanent = status.Buffer.AsSpan(60, 18);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x5E, 0x10, 0x20, 0x30 }, permanent[..16].ToArray());
        Assert.Equal(1, permanent[16]);

        a.GetName(NetBiosName.Create("ALICE", 0))!.State = NetBios.NameService.LocalNameState.Conflict; // another node won it
        var send = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = alice, Buffer = new byte[1], Length = 1 };
        Assert.Equal(NcbReturnCode.NameConflict, await Sync(net, nb, send));
    }

    [Fact]
    public async Task DeleteName_ReleasesIt_AndAnUnknownNameIsNoWild()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var nb = await ResetAsync(net, a);
        await AddAsync(net, nb, "GONE");

        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, Make(NcbCommand.DeleteName, "GONE")));
        Assert.Null(a.GetName(NetBiosName.Create("GONE", 0)));
        Assert.Equal(NcbReturnCode.NoWildcard, await Sync(net, nb, Make(NcbCommand.DeleteName, "GONE")));
    }

    [Fact]
    public async Task AdapterStatus_LocalAndRemote_ByteExact_AndTruncatedIsIncomplete()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a);
        var nbB = await ResetAsync(net, b);
        byte number = await AddAsync(net, nbA, "LOCALNAME");
        await AddAsync(net, nbA, "LOCALGROUP", group: true);
        await AddAsync(net, nbB, "REMOTE");

        var local = Make(NcbCommand.AdapterStatus, callName: "*");
        local.Buffer = new byte[600];
        local.Length = 600;
        var remote = Make(NcbCommand.AdapterStatus, callName: "REMOTE");
        remote.Buffer = new byte[600];
        remote.Length = 600;
        var shortBuffer = Make(NcbCommand.AdapterStatus, callName: "*");
        shortBuffer.Buffer = new byte[70];
        shortBuffer.Length = 70;

        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, local));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, remote));
        Assert.Equal(NcbReturnCode.Incomplete, await Sync(net, nbA, shortBuffer));

        Assert.Equal(60 + (2 * 18), local.Length);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(local.Buffer.AsSpan(58)));
        Assert.Equal(0xFE, local.Buffer[8]);
        var firstEntry = local.Buffer.AsSpan(60, 18);
        Assert.Equal(NetBiosName.Create("LOCALNAME", 0).ToArray(), firstEntry[..16].ToArray());
        Assert.Equal(number, firstEntry[16]);
        Assert.Equal(0x04, firstEntry[17]); // UNIQUE, REGISTERED
        Assert.Equal(0x84, local.Buffer[60 + 18 + 17]); // GROUP, REGISTERED
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(remote.Buffer.AsSpan(58)));
        Assert.Equal(NetBiosName.Create("REMOTE", 0).ToArray(), remote.Buffer.AsSpan(60, 16).ToArray());
        Assert.Equal(70, shortBuffer.Length);
    }

    [Fact]
    public async Task FindName_ReportsTheOwnersAddress_UnknownNameTimesOut()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a);
        var nbB = await ResetAsync(net, b);
        await AddAsync(net, nbB, "OWNER");
        var find = Make(NcbCommand.FindName, callName: "OWNER");
        find.Buffer = new byte[100];
        find.Length = 100;

        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, find));
        Assert.Equal(NcbReturnCode.CommandTimedOut, await Sync(net, nbA, Make(NcbCommand.FindName, callName: "NOBODY")));

        Assert.Equal(4 + 33, find.Length);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(find.Buffer));
        Assert.Equal(0, find.Buffer[3]); // unique
        Assert.Equal(b.Address, new IPAddress(find.Buffer.AsSpan(4 + 11, 4)));
    }

    [Fact]
    public async Task DatagramSendAndAsyncReceiveWithPost_TheSeedsChatPattern_ReArmedInPost()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a);
        var nbB = await ResetAsync(net, b);
        byte alice = await AddAsync(net, nbA, "ALICE");
        byte chat = await AddAsync(net, nbB, "CHAT", group: true);
        await AddAsync(net, nbA, "CHAT", group: true);
        var lines = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = chat, Buffer = new byte[512], Length = 512 };
        receive.Post = ncb =>
        {
            lock (lines)
            {
                lines.Add($"{NetBiosName.FromBytes(ncb.CallName).NameText.TrimEnd()}: {Encoding.ASCII.GetString(ncb.Buffer!, 0, ncb.Length)} ({ncb.CommandComplete})");
                if (lines.Count == 2)
                {
                    done.TrySetResult();
                    return;
                }
            }

            // Re-arm from inside POST, as the seed's chat does.
            ncb.Length = 512;
            Assert.Equal(NcbReturnCode.GoodReturn, nbB.Submit(ncb));
        };
        Assert.Equal(NcbReturnCode.GoodReturn, nbB.Submit(receive));
        Assert.Equal(NcbReturnCode.Pending, receive.CommandComplete);
        Assert.Equal(NcbReturnCode.Pending, receive.ReturnCode);

        foreach (string text in new[] { "hello", "again" })
        {
            var send = Make(NcbCommand.DatagramSend, callName: "CHAT");
            send.NameNumber = alice;
            send.Buffer = Encoding.ASCII.GetBytes(text);
            send.Length = (ushort)send.Buffer.Length;
            Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, send));
            await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMilliseconds(200)));
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["ALICE: hello (GoodReturn)", "ALICE: again (GoodReturn)"], lines);
    }

    [Fact]
    public async Task ADatagramArrivingWhilePostRuns_GoesToTheReceivePostReArms()
    {
        // On the original adapters POST ran before the next frame was handled, so re-arming inside POST lost nothing;
        // here the second datagram arrives while the first receive's POST still runs, before it re-arms.
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a);
        var nbB = await ResetAsync(net, b);
        byte alice = await AddAsync(net, nbA, "ALICE");
        byte bob = await AddAsync(net, nbB, "BOB");
        var inFirstPost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inSecondPost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var secondArrived = new ManualResetEventSlim();
        var texts = new List<string>();
        var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = bob, Buffer = new byte[64], Length = 64 };
        receive.Post = ncb =>
        {
            texts.Add(Encoding.ASCII.GetString(ncb.Buffer!, 0, ncb.Length));
            if (texts.Count == 1)
            {
                inFirstPost.TrySetResult();
                Assert.True(secondArrived.Wait(TimeSpan.FromSeconds(10)));
                ncb.Length = 64;
                Assert.Equal(NcbReturnCode.GoodReturn, nbB.Submit(ncb));
            }
            else
            {
                inSecondPost.TrySetResult();
            }
        };
        Assert.Equal(NcbReturnCode.GoodReturn, nbB.Submit(receive));

        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, "first")));
        await inFirstPost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, "second")));
        await WaitForAsync(() => b.Datagrams.Statistics.Delivered == 2);
        secondArrived.Set();

        await inSecondPost.Task.WaitAsync(TimeSpan.FromSeconds(10)); // POST runs after the completion code is set
        Assert.Equal(NcbReturnCode.GoodReturn, receive.CommandComplete);
        Assert.Equal(["first", "second"], texts);
    }

    [Fact]
    public async Task AHandedOverDatagramIsLostWhenNoReceiveComesWithinTheGrace_AndResetEndsTheHandover()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a);
        var nbB = await ResetAsync(net, b);
        byte alice = await AddAsync(net, nbA, "ALICE");
        byte bob = await AddAsync(net, nbB, "BOB");

        async Task<string?> ReceiveAfterAsync(string late, TimeSpan wait, string next)
        {
            net.Time.Advance(NcbDatagramHandovers.Grace); // what an earlier round left is gone
            var first = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = bob, Buffer = new byte[64], Length = 64 };
            nbB.Submit(first);
            Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, "completes it")));
            Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, first));
            long delivered = b.Datagrams.Statistics.Delivered;
            Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, late)));
            await WaitForAsync(() => b.Datagrams.Statistics.Delivered == delivered + 1); // kept by the handover
            net.Time.Advance(wait);
            var second = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = bob, Buffer = new byte[64], Length = 64 };
            nbB.Submit(second);
            Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, next)));
            Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, second));
            return Encoding.ASCII.GetString(second.Buffer!, 0, second.Length);
        }

        Assert.Equal("in time", await ReceiveAfterAsync("in time", NcbDatagramHandovers.Grace / 2, "later"));
        Assert.Equal("after the lost one", await ReceiveAfterAsync("lost", NcbDatagramHandovers.Grace, "after the lost one"));

        net.Time.Advance(NcbDatagramHandovers.Grace);
        var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = bob, Buffer = new byte[64], Length = 64 };
        nbB.Submit(receive);
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, "one")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, receive));
        long before = b.Datagrams.Statistics.Delivered;
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, "dropped by RESET")));
        await WaitForAsync(() => b.Datagrams.Statistics.Delivered == before + 1);
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nbB.ResetAsync(0)));
        bob = await AddAsync(net, nbB, "BOB");
        var afterReset = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = bob, Buffer = new byte[64], Length = 64 };
        nbB.Submit(afterReset);
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, DatagramTo("BOB", alice, "fresh")));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, afterReset));
        Assert.Equal("fresh", Encoding.ASCII.GetString(afterReset.Buffer!, 0, afterReset.Length));
    }

    private static Ncb DatagramTo(string callName, byte from, string text)
    {
        var send = Make(NcbCommand.DatagramSend, callName: callName);
        send.NameNumber = from;
        send.Buffer = Encoding.ASCII.GetBytes(text);
        send.Length = (ushort)send.Buffer.Length;
        return send;
    }

    /// <summary>Waits (10 s of real time at most) until a condition on the in-memory network holds.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(2, timeout.Token);
        }
    }

    [Fact]
    public async Task ReceiveAny_SetsTheNameNumber_ReceiveBroadcast_AndShortBufferIsIncomplete()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var b = net.AddStation();
        var nbA = await ResetAsync(net, a);
        var nbB = await ResetAsync(net, b);
        byte alice = await AddAsync(net, nbA, "ALICE");
        byte bob = await AddAsync(net, nbB, "BOB");
        using var signalled = new ManualResetEvent(false);
        var any = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = 0xFF, Buffer = new byte[3], Length = 3, Event = signalled };
        var broadcast = new Ncb { Command = NcbCommand.DatagramReceiveBroadcast | NcbCommand.Asynchronous, NameNumber = bob, Buffer = new byte[64], Length = 64 };
        nbB.Submit(any);
        nbB.Submit(broadcast);

        var send = Make(NcbCommand.DatagramSend, callName: "BOB");
        send.NameNumber = alice;
        send.Buffer = Encoding.ASCII.GetBytes("longer than three");
        send.Length = (ushort)send.Buffer.Length;
        var sendBroadcast = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = alice, Buffer = Encoding.ASCII.GetBytes("all"), Length = 3 };
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, send));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nbA, sendBroadcast));

        Assert.Equal(NcbReturnCode.Incomplete, await Completed(net, any));
        Assert.True(signalled.WaitOne(TimeSpan.FromSeconds(5)));
        Assert.Equal(bob, any.NameNumber);
        Assert.Equal("lon", Encoding.ASCII.GetString(any.Buffer, 0, any.Length));
        Assert.Equal(NcbReturnCode.GoodReturn, await Completed(net, broadcast));
        Assert.Equal("all", Encoding.ASCII.GetString(broadcast.Buffer, 0, broadcast.Length));
        Assert.Equal(NetBiosName.Create("ALICE", 0).ToArray(), broadcast.CallName);
    }

    [Fact]
    public async Task IllegalNameNumberAndBufferLength()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var nb = await ResetAsync(net, a);
        byte alice = await AddAsync(net, nb, "ALICE");

        var badNumber = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = 77, Buffer = new byte[1], Length = 1 };
        var lengthBeyondBuffer = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = alice, Buffer = new byte[1], Length = 2 };
        var tooLong = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = alice, Buffer = new byte[600], Length = 600 };

        Assert.Equal(NcbReturnCode.IllegalNameNumber, await Sync(net, nb, badNumber));
        Assert.Equal(NcbReturnCode.BufferLength, await Sync(net, nb, lengthBeyondBuffer));
        Assert.Equal(NcbReturnCode.BufferLength, await Sync(net, nb, tooLong));
        Assert.Equal(NcbReturnCode.IllegalCommand, await Sync(net, nb, new Ncb { Command = (NcbCommand)0x7F }));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, new Ncb { Command = NcbCommand.Unlink }));
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, new Ncb { Command = NcbCommand.Trace }));
        Assert.Equal(NcbReturnCode.BufferLength, await Sync(net, nb, new Ncb { Command = NcbCommand.Action, Buffer = new byte[4], Length = 4 }));
        Assert.Equal(NcbReturnCode.IllegalCommand, await Sync(net, nb, new Ncb { Command = NcbCommand.Action, Buffer = new byte[8], Length = 8 }));
        Assert.Equal(NcbReturnCode.IllegalCommand,
            await Sync(net, nb, new Ncb { Command = NcbCommand.Action, LocalSessionNumber = 1, NameNumber = 2, Buffer = new byte[8], Length = 8 }));

        // LAN STATUS ALERT waits for an alert TCP/IP never raises; CANCEL ends it.
        var alert = new Ncb { Command = NcbCommand.LanStatusAlert | NcbCommand.Asynchronous };
        nb.Submit(alert);
        Assert.Equal(NcbReturnCode.Pending, alert.CommandComplete);
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, new Ncb { Command = NcbCommand.Cancel, CancelTarget = alert }));
        Assert.Equal(NcbReturnCode.CommandCancelled, alert.CommandComplete);
    }

    [Fact]
    public async Task Cancel_PendingReceive_CompletedCommand_AndANonCancellableCommand()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var nb = await ResetAsync(net, a);
        byte alice = await AddAsync(net, nb, "ALICE");
        var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = alice, Buffer = new byte[10], Length = 10 };
        nb.Submit(receive);

        var cancel = new Ncb { Command = NcbCommand.Cancel, CancelTarget = receive };
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, cancel));
        Assert.Equal(NcbReturnCode.CommandCancelled, receive.CommandComplete);
        Assert.Equal(NcbReturnCode.CancelOccurred, await Sync(net, nb, new Ncb { Command = NcbCommand.Cancel, CancelTarget = receive }));

        var slowAdd = Make(NcbCommand.AddName | NcbCommand.Asynchronous, "SLOWNAME");
        nb.Submit(slowAdd); // a B-node registration takes 750 ms of (fake) time
        Assert.Equal(NcbReturnCode.NotCancellable, await Sync(net, nb, new Ncb { Command = NcbCommand.Cancel, CancelTarget = slowAdd }));
        await Completed(net, slowAdd);
        Assert.Equal(NcbReturnCode.GoodReturn, slowAdd.CommandComplete);
        Assert.Equal(NcbReturnCode.BadBufferAddress, await Sync(net, nb, new Ncb { Command = NcbCommand.Cancel }));
    }

    [Fact]
    public async Task ResetUnderLoad_CancelsPendingCommands_AndDeletesTheNames_AndTooManyCommands()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var nb = await ResetAsync(net, a, commands: 3);
        byte alice = await AddAsync(net, nb, "ALICE");
        var pending = Enumerable.Range(0, 3)
            .Select(_ => new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = alice, Buffer = new byte[10], Length = 10 })
            .ToList();
        foreach (var ncb in pending)
        {
            nb.Submit(ncb);
        }

        var oneTooMany = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = alice, Buffer = new byte[10], Length = 10 };
        nb.Submit(oneTooMany);
        Assert.Equal(NcbReturnCode.TooManyCommands, await Completed(net, oneTooMany));

        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, Make(NcbCommand.Reset)));

        Assert.All(pending, ncb => Assert.Equal(NcbReturnCode.CommandCancelled, ncb.CommandComplete));
        Assert.Null(a.GetName(NetBiosName.Create("ALICE", 0)));
        var freed = Make(NcbCommand.Reset);
        freed.LocalSessionNumber = 1; // free the environment
        Assert.Equal(NcbReturnCode.GoodReturn, await Sync(net, nb, freed));
        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, await Sync(net, nb, Make(NcbCommand.AddName, "AFTER")));
    }

    [Fact]
    public async Task SubmitAsync_TaskWrapper_CancellationTokenCancelsLikeNcbCancel()
    {
        await using var net = new StationTestNetwork();
        var a = net.AddStation();
        var nb = await ResetAsync(net, a);
        byte alice = await AddAsync(net, nb, "ALICE");
        using var cts = new CancellationTokenSource();
        var receive = new Ncb { Command = NcbCommand.DatagramReceive, NameNumber = alice, Buffer = new byte[10], Length = 10 };

        var task = nb.SubmitAsync(receive, cts.Token);
        Assert.False(task.IsCompleted);
        await cts.CancelAsync();

        Assert.Equal(NcbReturnCode.CommandCancelled, await task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(NcbReturnCode.CommandCancelled, receive.ReturnCode);
    }

    [Fact]
    public async Task INetBios_CancelResetAndEnumerate_AreTheirNcbs()
    {
        await using var net = new StationTestNetwork();
        var nb = Open((0, net.AddStation()), (5, net.AddStation()));

        Assert.Equal(new byte[] { 0, 5 }, await nb.EnumerateLanasAsync());
        Assert.Equal(NcbReturnCode.InvalidLana, await Run(net, nb.ResetAsync(7)));
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.ResetAsync(5, new NcbResetRequest(MaxNames: 1))));
        byte only = await AddAsync(net, nb, "ONLY", lana: 5);
        var tooMany = Make(NcbCommand.AddName, "TOOMANY", lana: 5);
        Assert.Equal(NcbReturnCode.NameTableFull, await Sync(net, nb, tooMany));

        var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, LanaNumber = 5, NameNumber = only, Buffer = new byte[4], Length = 4 };
        nb.Submit(receive);
        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.CancelAsync(receive)));
        Assert.Equal(NcbReturnCode.CommandCancelled, receive.CommandComplete);
        Assert.Equal(NcbReturnCode.CancelOccurred, await Run(net, nb.CancelAsync(receive)));

        Assert.Equal(NcbReturnCode.GoodReturn, await Run(net, nb.ResetAsync(5, new NcbResetRequest(Free: true))));
        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, await Sync(net, nb, Make(NcbCommand.AddName, "AFTER", lana: 5)));
    }
}
