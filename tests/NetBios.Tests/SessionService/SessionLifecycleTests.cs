using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Testing;
using NetBios.Tests.TestCommon;
using NetBios.Transport;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>
/// Session lifetime ([RFC 1002] 5.3.4, docs/RELIABILITY.md §1.6): hang-up, dead peers, per-state deadlines on the fake
/// clock, SMBLoris, keepalives, several sessions.
/// </summary>
public sealed class SessionLifecycleTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task HangUp_CompletesPendingReceivesOnBothSides(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        var remote = listener.ReceiveAsync(new byte[10], Ct).AsTask();
        var local = caller.ReceiveAsync(new byte[10], Ct).AsTask();
        Assert.Equal(SessionState.Closed, await caller.HangUpAsync());
        Assert.Equal(SessionIoStatus.Closed, (await local.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.Equal(SessionIoStatus.Closed, (await remote.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.Equal(SessionIoStatus.Closed, await caller.SendAsync(new byte[1], Ct));
        Assert.Equal(SessionIoStatus.Closed, (await listener.ReceiveAsync(new byte[1], Ct)).Status);
        Assert.Empty(bed.Client.GetSessions());
    }

    /// <summary>
    /// Ending a session after a random number of messages of a two-way transfer of large and small ones — hang-up or abort, on
    /// either side — completes every pending send and receive with a session status, ends both sessions, and never
    /// delivers a byte out of order before the end.
    /// </summary>
    [Theory(Timeout = 120_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task EndingMidTransfer_CompletesEverything(Net net)
    {
        var random = new Random(6);
        for (int round = 0; round < 12; round++)
        {
            await using var bed = new SessionTestBed(net);
            await bed.StartAsync();
            var (caller, listener) = await bed.ConnectAsync();
            int endAfter = random.Next(40);
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pumps = new[] { Pump(caller, listener, round, n => { if (n == endAfter) { reached.TrySetResult(); } }), Pump(listener, caller, round + 100, _ => { }) };
            await Task.WhenAny(reached.Task, Task.WhenAll(pumps)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            var ender = random.Next(2) == 0 ? caller : listener;
            if (random.Next(2) == 0)
            {
                ender.Abort();
            }
            else
            {
                await ender.HangUpAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
            }

            await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await Task.WhenAll(caller.Completion, listener.Completion).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.NotEqual(SessionState.Established, caller.State);
            Assert.NotEqual(SessionState.Established, listener.State);
        }

        // Sends messages 0, 1, 2… (random sizes up to 131071, each filled with its number) while the other side checks them.
        static Task Pump(NbssSession from, NbssSession to, int seed, Action<int> received) => Task.WhenAll(
            Task.Run(async () =>
            {
                var sizes = new Random(seed);
                for (int n = 0; n < 1000; n++)
                {
                    byte[] message = new byte[sizes.Next(3) == 0 ? sizes.Next(131072) : sizes.Next(1, 200)];
                    Array.Fill(message, (byte)n);
                    if (await from.SendAsync(message, Ct) != SessionIoStatus.Ok)
                    {
                        return;
                    }
                }
            }, Ct),
            Task.Run(async () =>
            {
                byte[] buffer = new byte[131071];
                for (int n = 0; ; n++)
                {
                    var result = await to.ReceiveAsync(buffer, Ct);
                    if (result.Status != SessionIoStatus.Ok)
                    {
                        Assert.Contains(result.Status, new[] { SessionIoStatus.Closed, SessionIoStatus.Aborted });
                        return;
                    }

                    Assert.True(buffer.AsSpan(0, result.BytesReceived).IndexOfAnyExcept((byte)n) < 0, $"message {n} out of order");
                    received(n);
                }
            }, Ct));
    }

    /// <summary>A hang-up ends a receive whose body is being read straight from the socket (past the pipe).</summary>
    [Fact(Timeout = 60_000)]
    public async Task HangUp_MidBody_EndsTheReceive_ReadingPastThePipe()
    {
        await using var bed = new SessionTestBed(Net.Tcp);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        var pending = listener.ReceiveAsync(new byte[131071], Ct).AsTask();
        byte[] start = [.. new byte[] { 0x00, 0x01, 0x86, 0xA0 }, .. Pattern(20_000)]; // 100 000 announced, 20 000 sent
        await WriteAsync(raw, start);
        Assert.Equal(SessionState.Closed, await listener.HangUpAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Equal(SessionIoStatus.Closed, (await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        Assert.True(await IsClosedAsync(raw));
    }

    /// <summary>Hang-up and abort of a session that has already ended, on either side, change nothing and throw nothing.</summary>
    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task EndingAnEndedSession_IsANoOp(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        Assert.Equal(SessionState.Closed, await caller.HangUpAsync());
        await listener.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        foreach (var session in new[] { caller, listener })
        {
            session.Abort();
            Assert.Equal(SessionState.Closed, await session.HangUpAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct));
            session.Abort();
            Assert.Equal(SessionState.Closed, session.State);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task PeerReset_AbortsPendingReceivesAndSends()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        var pending = listener.ReceiveAsync(new byte[10], Ct).AsTask();
        caller.Abort();
        Assert.Equal(SessionIoStatus.Aborted, (await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        await listener.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionState.Aborted, listener.State);
        Assert.Equal(SessionIoStatus.Aborted, await listener.SendAsync(new byte[1], Ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task Receive_CancelledOrTimedOut_LeavesTheSessionUp()
    {
        var time = new FakeTimeProvider();
        await using var bed = new SessionTestBed(Net.Memory, time: time);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        using var cts = new CancellationTokenSource();
        var cancelled = listener.ReceiveAsync(new byte[4], cts.Token).AsTask();
        var timed = listener.ReceiveAsync(new byte[4], TimeSpan.FromSeconds(5), Ct).AsTask();
        Assert.Equal(2, listener.GetStatus().PendingReceives);
        await cts.CancelAsync();
        Assert.Equal(SessionIoStatus.Cancelled, (await cancelled).Status);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(SessionIoStatus.TimedOut, (await timed.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Status);
        await caller.SendAsync("ok"u8.ToArray(), Ct);
        Assert.Equal("ok"u8.ToArray(), await ReceiveMessageAsync(listener));
    }

    /// <summary>
    /// A peer stopping mid-header is reaped after <see cref="SessionServiceOptions.HeaderTimeout"/>, one stopping
    /// mid-body (a receive waiting for the rest) after <see cref="SessionServiceOptions.BodyTimeout"/>: each state has
    /// its own deadline, and the other one does not apply.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData(new byte[] { 0x00, 0x00 }, 5)]                   // mid-header: HeaderTimeout (5 s)
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x10, 1, 2 }, 20)] // mid-body: BodyTimeout (20 s)
    public async Task PeerStoppingMidFrame_IsReapedOnTheFakeClock(byte[] partial, int reapedAfterSeconds)
    {
        var time = new FakeTimeProvider();
        await using var bed = new SessionTestBed(Net.Memory, o => { o.HeaderTimeout = TimeSpan.FromSeconds(5); o.BodyTimeout = TimeSpan.FromSeconds(20); }, time);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        var pending = listener.ReceiveAsync(new byte[64], Ct).AsTask();
        await WriteAsync(raw, partial);
        await WaitForAsync(() => listener.Connection.HasDeadline); // the loop has seen the partial frame: its deadline counts from now
        await FakeClock.AdvanceAsync(time, TimeSpan.FromSeconds(reapedAfterSeconds) - 2 * Step, Step);
        Assert.False(pending.IsCompleted);
        await FakeClock.AdvanceAsync(time, 3 * Step, Step); // past the deadline and one timer tick; then no more fake time
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionIoStatus.Aborted, result.Status);
        Assert.True(await IsClosedAsync(raw));
    }

    [Fact(Timeout = 60_000)]
    public async Task SilentConnection_IsReapedAfterTheRequestTimeout()
    {
        var time = new FakeTimeProvider();
        await using var bed = new SessionTestBed(Net.Memory, o => o.SessionRequestTimeout = TimeSpan.FromSeconds(10), time);
        await bed.StartAsync();
        var raw = await bed.RawConnectAsync();
        await WriteAsync(raw, new byte[] { 0x81, 0x00 }); // half a header, then nothing
        await WaitForAsync(() => bed.Server.AcceptedConnectionCount == 1);
        await FakeClock.RunAsync(time, IsClosedAsync(raw, 30), Step, TimeSpan.FromSeconds(30));
        await WaitForAsync(() => bed.Server.AcceptedConnectionCount == 0);
    }

    /// <summary>
    /// SMBLoris: many connections sending <c>00 01 FF FF</c> (before or after the session request) and nothing more.
    /// Accepted connections never exceed the caps, a pre-session header is refused at once, a post-session one holds
    /// nothing but the 4 header bytes and is reaped by the frame deadline; a legitimate caller still gets through.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task SmbLorisFlood_StaysWithinCaps_AndIsReaped()
    {
        var time = new FakeTimeProvider();
        var net = new InMemoryNetwork(new FakeTimeProvider());
        net.AddSegment(IPAddress.Parse("10.1.0.0"), 16);
        var serverHost = net.AddHost(IPAddress.Parse("10.1.0.1"));
        var attackers = Enumerable.Range(0, 4).Select(i => net.AddHost(IPAddress.Parse($"10.1.1.{i + 1}"))).ToArray();
        var name = NetBiosName.Create("SERVER", 0x20);
        var options = new SessionServiceOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Parse("10.1.0.1"), 139),
            MaxConnections = 12,
            MaxConnectionsPerAddress = 4,
            HeaderTimeout = TimeSpan.FromSeconds(10),
            BodyTimeout = TimeSpan.FromSeconds(10),
            SessionRequestTimeout = TimeSpan.FromSeconds(10),
        };
        await using var server = new NetBios.SessionService.SessionServiceNode(serverHost, options, new StaticNames(name), new StaticNames(), time);
        await server.StartAsync(Ct);
        var listens = Enumerable.Range(0, 100).Select(_ => server.ListenAsync(name, null, Ct).AsTask()).ToList();

        var connections = new List<IStreamConnection>();
        int maxSeen = 0;
        try
        {
            for (int i = 0; i < 40; i++)
            {
                var host = attackers[i % attackers.Length];
                var c = await host.ConnectAsync(options.ListenEndPoint, Ct);
                connections.Add(c);
                if (i % 2 == 0)
                {
                    await AttackerWriteAsync(c, new NetBios.Wire.Session.SessionRequest(name, NetBiosName.Create("LORIS", 0)).ToArray());
                }

                await AttackerWriteAsync(c, new byte[] { 0x00, 0x01, 0xFF, 0xFF });
                maxSeen = Math.Max(maxSeen, server.AcceptedConnectionCount);
            }

            // The sessions of the even-numbered connections are established in the background: wait for them (a
            // fixed pause was too short on a loaded machine), then check the caps held all along.
            await WaitForAsync(() => server.GetSessions().Count >= 1);
            maxSeen = Math.Max(maxSeen, server.AcceptedConnectionCount);
            Assert.InRange(maxSeen, 1, options.MaxConnections);
            Assert.All(server.GetSessions(), s => Assert.Equal(SessionState.Established, s.State));
            Assert.InRange(server.GetSessions().Count, 1, options.MaxConnections);

            await FakeClock.AdvanceAsync(time, TimeSpan.FromSeconds(15), Step);
            await WaitForAsync(() => server.AcceptedConnectionCount == 0);

            // Still serving: a fresh caller connects.
            await using var client = new NetBios.SessionService.SessionServiceNode(attackers[0], new SessionServiceOptions(), new StaticNames(), new StaticNames(), time);
            var call = await client.CallAsync(NetBiosName.Create("GOOD", 0), name, [options.ListenEndPoint], Ct);
            Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        }
        finally
        {
            foreach (var c in connections)
            {
                c.Abort();
                await c.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task IdleSession_SendsKeepAlives_OnTheFakeClock()
    {
        var time = new FakeTimeProvider();
        await using var bed = new SessionTestBed(Net.Memory, o => o.KeepAliveInterval = TimeSpan.FromSeconds(60), time);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        await FakeClock.AdvanceAsync(time, TimeSpan.FromSeconds(30), Step);
        var keepAlive = ReadExactlyAsync(raw, 4, 30);
        await FakeClock.AdvanceAsync(time, TimeSpan.FromSeconds(31), Step);
        Assert.Equal([0x85, 0, 0, 0], await keepAlive);
        var second = ReadExactlyAsync(raw, 4, 30);
        await FakeClock.AdvanceAsync(time, TimeSpan.FromSeconds(61), Step);
        Assert.Equal([0x85, 0, 0, 0], await second);
        Assert.Equal(SessionState.Established, listener.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task IdleTimeout_AbortsASilentPeer()
    {
        var time = new FakeTimeProvider();
        await using var bed = new SessionTestBed(Net.Memory, o => o.IdleTimeout = TimeSpan.FromSeconds(120), time);
        await bed.StartAsync();
        var (raw, listener) = await bed.RawSessionAsync();
        await FakeClock.RunAsync(time, listener.Completion, Step, TimeSpan.FromSeconds(200));
        Assert.Equal(SessionState.Aborted, listener.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task TwoNamesOnOneStation_CallEachOther()
    {
        var other = NetBiosName.Create("OTHER", 0x03);
        await using var bed = new SessionTestBed(Net.Memory);
        bed.ServerNames.AddLocal(other);
        await bed.StartAsync();
        var listen = bed.Server.ListenAsync(other, ServerName, Ct).AsTask();
        var call = await bed.Server.CallAsync(ServerName, other, [bed.ServerEndPoint], Ct);
        Assert.True(call.IsConnected);
        var listened = (await listen).Session!;
        Assert.Equal(2, bed.Server.GetSessions().Count);
        await call.Session.SendAsync("to other"u8.ToArray(), Ct);
        Assert.Equal("to other"u8.ToArray(), await ReceiveMessageAsync(listened));
        await listened.SendAsync("back"u8.ToArray(), Ct);
        Assert.Equal("back"u8.ToArray(), await ReceiveMessageAsync(call.Session));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(Net.Memory)]
    [InlineData(Net.Tcp)]
    public async Task SeveralSessionsBetweenTheSamePair_AreIndependent(Net net)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var pairs = new List<(NbssSession Caller, NbssSession Listener)>();
        for (int i = 0; i < 3; i++)
        {
            pairs.Add(await bed.ConnectAsync());
        }

        Assert.Equal(3, pairs.Select(p => p.Listener.Id).Distinct().Count());
        for (int i = 0; i < 3; i++)
        {
            await pairs[i].Caller.SendAsync(Pattern(10, i), Ct);
        }

        for (int i = 2; i >= 0; i--)
        {
            Assert.Equal(Pattern(10, i), await ReceiveMessageAsync(pairs[i].Listener));
        }

        await pairs[1].Caller.HangUpAsync();
        await pairs[1].Listener.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await pairs[0].Caller.SendAsync("still"u8.ToArray(), Ct);
        Assert.Equal("still"u8.ToArray(), await ReceiveMessageAsync(pairs[0].Listener));
    }

    [Fact(Timeout = 60_000)]
    public async Task Status_ReportsNamesStateAndPendingCounts()
    {
        await using var bed = new SessionTestBed(Net.Memory);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        _ = listener.ReceiveAsync(new byte[4], Ct).AsTask();
        _ = listener.ReceiveAsync(new byte[4], Ct).AsTask();
        var status = listener.GetStatus();
        Assert.Equal((ServerName, ClientName, SessionState.Established, 2, 0, false),
            (status.LocalName, status.RemoteName, status.State, status.PendingReceives, status.PendingSends, status.IsCaller));
        await caller.HangUpAsync();
        await listener.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal((SessionState.Closed, 0), (listener.GetStatus().State, listener.GetStatus().PendingReceives));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition());
    }

    /// <summary>
    /// An attacker's write: a connection the server refused over its caps is reset, and a write to it may fail (or not,
    /// when it reached the pipe before the reset): either is what the attacker gets, so a reset is not a test failure.
    /// </summary>
    private static async Task AttackerWriteAsync(IStreamConnection connection, byte[] bytes)
    {
        try
        {
            await WriteAsync(connection, bytes);
        }
        catch (IOException)
        {
            // Refused over the caps: reset by the server.
        }
    }
}
