using System.Text;
using NetBios.NcbInterface;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>NCBs through the daemon: two clients of one daemon on one station, each with its own names, holding a
/// session with each other; datagrams; no-wait NCBs with POST and event; CANCEL; RESET of one client only.</summary>
public sealed class DaemonNcbTests
{
    [Fact]
    public async Task TwoClientsOfOneStation_AddTheirNames_CallListenSendReceiveBothWays_AndHangUp()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var alice = await bed.ConnectAndResetAsync();
        var bob = await bed.ConnectAndResetAsync();
        await AddAsync(alice, "ALICE");
        await AddAsync(bob, "BOB");
        Assert.True(bed.StationHolds("ALICE"));
        Assert.True(bed.StationHolds("BOB"));

        var (lsnA, lsnB) = await ConnectAsync(alice, "ALICE", bob, "BOB");
        Assert.Equal(NcbReturnCode.GoodReturn, await alice.SubmitAsync(Send(lsnA, "hello bob"), TestContext.Current.CancellationToken));
        var part = Receive(lsnB, 5);
        Assert.Equal(NcbReturnCode.Incomplete, await bob.SubmitAsync(part, TestContext.Current.CancellationToken));
        Assert.Equal("hello", Text(part));
        var rest = Receive(lsnB, 100);
        Assert.Equal(NcbReturnCode.GoodReturn, await bob.SubmitAsync(rest, TestContext.Current.CancellationToken));
        Assert.Equal(" bob", Text(rest));

        // 64 KiB - 1 (the largest NCB buffer) the other way, whole.
        byte[] big = new byte[ushort.MaxValue];
        new Random(15).NextBytes(big);
        var receiveBig = Receive(lsnA, ushort.MaxValue);
        var receiving = alice.SubmitAsync(receiveBig, TestContext.Current.CancellationToken);
        Assert.Equal(NcbReturnCode.GoodReturn, await bob.SubmitAsync(Send(lsnB, big), TestContext.Current.CancellationToken));
        Assert.Equal(NcbReturnCode.GoodReturn, await receiving);
        Assert.Equal(ushort.MaxValue, receiveBig.Length);
        Assert.Equal(big, receiveBig.Buffer);

        // CHAIN SEND: two buffers, one message.
        var chain = Send(lsnA, "first+");
        chain.Command = NcbCommand.ChainSend;
        chain.ChainBuffer = Encoding.ASCII.GetBytes("second");
        chain.ChainLength = 6;
        Assert.Equal(NcbReturnCode.GoodReturn, await alice.SubmitAsync(chain, TestContext.Current.CancellationToken));
        var whole = Receive(lsnB, 100);
        Assert.Equal(NcbReturnCode.GoodReturn, await bob.SubmitAsync(whole, TestContext.Current.CancellationToken));
        Assert.Equal("first+second", Text(whole));

        var pending = Receive(lsnB, 100);
        var pendingReceive = bob.SubmitAsync(pending, TestContext.Current.CancellationToken);
        Assert.Equal(NcbReturnCode.GoodReturn, await alice.SubmitAsync(new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = lsnA }, TestContext.Current.CancellationToken));
        Assert.Equal(NcbReturnCode.SessionClosed, await pendingReceive);
    }

    [Fact]
    public async Task NoWaitDatagramReceive_CompletesWithReturnCodeThenCommandComplete_SetsTheEvent_AndRunsPost()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var alice = await bed.ConnectAndResetAsync();
        var bob = await bed.ConnectAndResetAsync();
        byte aliceNumber = await AddAsync(alice, "ALICE");
        byte bobNumber = await AddAsync(bob, "BOB");

        using var done = new ManualResetEvent(false);
        var posted = new TaskCompletionSource<(NcbReturnCode ReturnCode, NcbReturnCode Complete, string Text)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receive = new Ncb
        {
            Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous,
            NameNumber = bobNumber,
            Buffer = new byte[512],
            Length = 512,
            Event = done,
            Post = n => posted.TrySetResult((n.ReturnCode, n.CommandComplete, Text(n))),
        };
        Assert.Equal(NcbReturnCode.GoodReturn, bob.Submit(receive));
        Assert.Equal(NcbReturnCode.Pending, receive.CommandComplete);
        Assert.False(done.WaitOne(0));

        byte[] data = Encoding.ASCII.GetBytes("a datagram");
        var send = new Ncb { Command = NcbCommand.DatagramSend, NameNumber = aliceNumber, Buffer = data, Length = (ushort)data.Length };
        send.SetCallName(Name("BOB"));
        Assert.Equal(NcbReturnCode.GoodReturn, alice.Submit(send));

        var (code, complete, text) = await posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(NcbReturnCode.GoodReturn, code);
        Assert.Equal(NcbReturnCode.GoodReturn, complete);
        Assert.Equal("a datagram", text);
        Assert.True(done.WaitOne(0));
        Assert.Equal(Name("ALICE").ToArray(), receive.CallName);
    }

    [Fact]
    public async Task NoWaitNcbRefusedBeforeItStarts_ReturnsTheCodeFromSubmit_WithoutPost()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var client = await bed.ConnectAsync(); // not RESET
        bool posted = false;
        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "ALICE", "*");
        listen.Post = _ => posted = true;
        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, client.Submit(listen));
        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, listen.ReturnCode);
        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, listen.CommandComplete);
        var other = Make(NcbCommand.AddName, "ALICE");
        other.LanaNumber = 7;
        Assert.Equal(NcbReturnCode.InvalidLana, await client.SubmitAsync(other, TestContext.Current.CancellationToken));
        Assert.False(posted);
        Assert.Equal([0], await client.EnumerateLanasAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancel_EndsAPendingListen_AndAnUnknownTargetIsCancelOccurred()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var client = await bed.ConnectAndResetAsync();
        await AddAsync(client, "ALICE");
        var listen = Make(NcbCommand.Listen | NcbCommand.Asynchronous, "ALICE", "*");
        var posted = new TaskCompletionSource<NcbReturnCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        listen.Post = n => posted.TrySetResult(n.CommandComplete);
        Assert.Equal(NcbReturnCode.GoodReturn, client.Submit(listen));

        Assert.Equal(NcbReturnCode.GoodReturn, await client.CancelAsync(listen));
        Assert.Equal(NcbReturnCode.CommandCancelled, await posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(NcbReturnCode.CancelOccurred, await client.CancelAsync(listen));
        Assert.Equal(NcbReturnCode.CancelOccurred, await client.CancelAsync(new Ncb { Command = NcbCommand.Receive }));

        // The Task form's token cancels as CANCEL does.
        using var cts = new CancellationTokenSource();
        var receiveAny = new Ncb { Command = NcbCommand.ReceiveAny, NameNumber = 0xFF, Buffer = new byte[10], Length = 10 };
        var task = client.SubmitAsync(receiveAny, cts.Token);
        await cts.CancelAsync();
        Assert.Equal(NcbReturnCode.CommandCancelled, await task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reset_ReleasesOnlyThatClientsNames()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var alice = await bed.ConnectAndResetAsync();
        var bob = await bed.ConnectAndResetAsync();
        await AddAsync(alice, "ALICE");
        await AddAsync(bob, "BOB");

        Assert.Equal(NcbReturnCode.GoodReturn, await alice.ResetAsync(0));
        Assert.True(await EventuallyAsync(() => !bed.StationHolds("ALICE")));
        Assert.True(bed.StationHolds("BOB"));
        Assert.False(await bed.ObserverFindsAsync("ALICE"));
        Assert.True(await bed.ObserverFindsAsync("BOB"));
    }

    [Fact]
    public async Task SendBufferLengthBeyondTheBuffer_IsBufferLength_AsEmbedded()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var client = await bed.ConnectAndResetAsync();
        byte number = await AddAsync(client, "ALICE");
        var send = new Ncb { Command = NcbCommand.DatagramSend, NameNumber = number, Buffer = new byte[4], Length = 10 };
        send.SetCallName(Name("BOB"));
        Assert.Equal(NcbReturnCode.BufferLength, await client.SubmitAsync(send, TestContext.Current.CancellationToken));
        var status = Make(NcbCommand.AdapterStatus, callName: "*");
        status.Buffer = new byte[600];
        status.Length = 600;
        var code = await client.SubmitAsync(status, TestContext.Current.CancellationToken);
        Assert.True(code is NcbReturnCode.GoodReturn or NcbReturnCode.Incomplete, code.ToString());
        Assert.InRange(status.Length, 60, 600);
    }
}
