using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Testing;
using NetBios.Tests.TestCommon;
using NetBios.Transport;
using NetBios.Wire.Session;
using Xunit;

namespace NetBios.Tests.Sessions;

/// <summary>
/// Who gets in when the session service is under pressure (issue "Hostile networks, round two", item 1 and 2): silent
/// sessions and half-open handshakes cannot lock genuine callers out (per-source caps, eviction of the idle, most
/// connected source first), and simultaneous callers all reach a listener that posts one LISTEN at a time (the backlog).
/// On the in-memory network with one host per source and the fake clock deciding every idle time.
/// </summary>
public sealed class SessionFairnessTests : IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private static readonly NetBiosName Served = NetBiosName.Create("SERVER", 0x20);
    private static readonly IPEndPoint ServerEndPoint = new(IPAddress.Parse("10.1.0.1"), 139);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryNetwork _network = new(new FakeTimeProvider());
    private readonly List<IStreamConnection> _raw = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Dictionary<string, InMemoryHost> _hosts = [];

    public SessionFairnessTests() => _network.AddSegment(IPAddress.Parse("10.1.0.0"), 16);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _raw)
        {
            connection.Abort();
            await connection.DisposeAsync();
        }

        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task SilentSessionsFillingTheTable_AreEvicted_MostConnectedSourceFirst()
    {
        var server = await StartServerAsync(o => (o.MaxConnections, o.MaxSessions, o.MaxConnectionsPerAddress) = (8, 8, 6));
        PostListens(server, 100);

        // A genuine session first, then two attackers fill the table with silent sessions (6 and 1).
        var genuineHost = Host("10.1.2.1");
        var genuine = await CallAsync(genuineHost, "GENUINE");
        Assert.Equal(SessionCallOutcome.Connected, genuine.Outcome);
        for (int i = 0; i < 6; i++)
        {
            await SilentSessionAsync(Host("10.1.1.1"));
        }

        await SilentSessionAsync(Host("10.1.1.2"));
        await WaitForAsync(() => server.GetSessions().Count == 8);

        // Full and nothing idle long enough: a newcomer is refused, nobody is evicted.
        var early = await CallAsync(Host("10.1.3.1"), "EARLY");
        Assert.NotEqual(SessionCallOutcome.Connected, early.Outcome);
        Assert.Equal(8, server.GetSessions().Count);

        // Once they have been idle for EvictionIdleTime, each newcomer evicts one session of the source holding six.
        await FakeClock.AdvanceAsync(_time, TimeSpan.FromSeconds(6), Step);
        for (int i = 0; i < 3; i++)
        {
            var late = await CallAsync(Host($"10.1.3.{i + 2}"), $"LATE{i}");
            Assert.Equal(SessionCallOutcome.Connected, late.Outcome);
        }

        await WaitForAsync(() => server.GetSessions().Count(s => s.RemoteEndPoint.Address.Equals(IPAddress.Parse("10.1.1.1"))) == 3);
        Assert.Single(server.GetSessions(), s => s.RemoteEndPoint.Address.Equals(IPAddress.Parse("10.1.1.2")));
        Assert.Equal(SessionState.Established, genuine.Session!.State);
        Assert.Single(server.GetSessions(), s => s.RemoteName == NetBiosName.Create("GENUINE", 0));
    }

    [Fact(Timeout = 60_000)]
    public async Task AnEvictedSource_CannotEvictInTurn_SoItCannotChurnItsSessionsFresh()
    {
        var server = await StartServerAsync(o => (o.MaxConnections, o.MaxSessions, o.MaxConnectionsPerAddress) = (4, 4, 4));
        PostListens(server, 20);
        var attacker = Host("10.1.1.1");
        for (int i = 0; i < 4; i++)
        {
            await SilentSessionAsync(attacker);
        }

        await WaitForAsync(() => server.GetSessions().Count == 4);
        await FakeClock.AdvanceAsync(_time, TimeSpan.FromSeconds(6), Step);
        Assert.Equal(SessionCallOutcome.Connected, (await CallAsync(Host("10.1.2.1"), "GENUINE")).Outcome);

        // The attacker, just evicted, comes back: a free slot it may take, but none is free, and it may not evict.
        var back = await CallAsync(attacker, "AGAIN");
        Assert.NotEqual(SessionCallOutcome.Connected, back.Outcome);
        Assert.Equal(3, server.GetSessions().Count(s => s.RemoteEndPoint.Address.Equals(attacker.Addresses[0])));

        // Once the cooldown is over it may evict again (its own idle sessions are the most connected source).
        await FakeClock.AdvanceAsync(_time, TimeSpan.FromSeconds(31), Step);
        Assert.Equal(SessionCallOutcome.Connected, (await CallAsync(attacker, "LATER")).Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task ABusySession_IsNotEvicted_AQuietOneOnlyUnderPressure()
    {
        var server = await StartServerAsync(o => (o.MaxConnections, o.MaxSessions, o.MaxConnectionsPerAddress) = (2, 2, 2));
        PostListens(server, 10);
        var busy = await CallAsync(Host("10.1.2.1"), "BUSY");
        var quiet = await CallAsync(Host("10.1.2.2"), "QUIET");
        Assert.Equal(SessionCallOutcome.Connected, busy.Outcome);
        Assert.Equal(SessionCallOutcome.Connected, quiet.Outcome);

        // An hour of quiet with keepalives: nobody is cut off while nobody else wants in.
        await FakeClock.AdvanceAsync(_time, TimeSpan.FromMinutes(60), TimeSpan.FromSeconds(30));
        Assert.Equal(SessionState.Established, quiet.Session!.State);
        Assert.Equal(SessionIoStatus.Ok, await busy.Session!.SendAsync(new byte[] { 1 }, Ct));
        await WaitForAsync(() => server.GetSessions().Count == 2);

        // Under pressure, the quiet one goes and the busy one stays.
        var newcomer = await CallAsync(Host("10.1.3.1"), "NEW");
        Assert.Equal(SessionCallOutcome.Connected, newcomer.Outcome);
        await quiet.Session.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(SessionState.Established, busy.Session.State);
    }

    [Fact(Timeout = 60_000)]
    public async Task HalfOpenConnections_AreCappedPerSource_AndEvictedForACaller()
    {
        var server = await StartServerAsync(o => (o.MaxConnections, o.MaxPendingPerAddress) = (8, 3));
        PostListens(server, 10);
        for (int source = 0; source < 4; source++)
        {
            var host = Host($"10.1.1.{source + 1}");
            for (int i = 0; i < 5; i++)
            {
                _raw.Add(await host.ConnectAsync(ServerEndPoint, Ct)); // connects, sends nothing
            }
        }

        // Three per source at most, eight in all.
        await WaitForAsync(() => server.AcceptedConnectionCount == 8);

        await FakeClock.AdvanceAsync(_time, TimeSpan.FromSeconds(2), Step);
        var call = await CallAsync(Host("10.1.2.1"), "GENUINE");
        Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        Assert.Equal(8, server.AcceptedConnectionCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task SessionRequest_IsBoundedByTheHeaderDeadline()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), new SessionServiceOptions().SessionRequestTimeout);
        var server = await StartServerAsync(_ => { });
        var raw = await Host("10.1.1.1").ConnectAsync(ServerEndPoint, Ct);
        _raw.Add(raw);
        await WriteAsync(raw, [0x81, 0x00]); // half a header, then silence
        await WaitForAsync(() => server.AcceptedConnectionCount == 1);
        await FakeClock.AdvanceAsync(_time, TimeSpan.FromSeconds(11), Step);
        await WaitForAsync(() => server.AcceptedConnectionCount == 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task TenSimultaneousCallers_AllReachAListenerThatPostsOneListenAtATime()
    {
        var server = await StartServerAsync(_ => { });
        var accepted = new List<NbssSession>();
        // The usual server loop (nbt node, NCB programs): one LISTEN, then the next once it completed. Called
        // directly, so that the first LISTEN is posted before the callers come.
        async Task ServeAsync()
        {
            while (accepted.Count < 10)
            {
                var result = await server.ListenAsync(Served, null, Ct);
                Assert.Equal(SessionListenOutcome.Connected, result.Outcome);
                accepted.Add(result.Session!);
            }
        }

        var serving = ServeAsync();

        var calls = Enumerable.Range(0, 10).Select(i => CallAsync(Host($"10.1.2.{i + 1}"), $"CALLER{i}")).ToArray();
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.All(results, r => Assert.Equal(SessionCallOutcome.Connected, r.Outcome));
        await serving.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(10, accepted.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task QueuedRequest_IsRefusedWhenNoListenComes_AndAnUnservedNameAtOnce()
    {
        var other = NetBiosName.Create("OTHER", 0x20);
        var server = await StartServerAsync(_ => { }, other);
        var first = server.ListenAsync(Served, null, Ct).AsTask();
        Assert.Equal(SessionCallOutcome.Connected, (await CallAsync(Host("10.1.2.1"), "ONE")).Outcome);
        Assert.Equal(SessionListenOutcome.Connected, (await first).Outcome);

        // OTHER was never listened on: 0x80 at once, on a clock that does not move.
        var unserved = await CallAsync(Host("10.1.2.2"), "TWO", other);
        Assert.Equal(SessionCallOutcome.NotListeningOnCalledName, unserved.Outcome);

        // SERVER is served: the request waits for a listen, and is refused 0x80 when none comes in time.
        var waiting = CallAsync(Host("10.1.2.3"), "THREE");
        await Task.Delay(100, Ct);
        Assert.False(waiting.IsCompleted);
        var refused = await FakeClock.RunAsync(_time, waiting, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        Assert.Equal(SessionCallOutcome.NotListeningOnCalledName, refused.Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task CallersOnThisHostsOwnAddress_AreNotHeldToThePerSourceCaps()
    {
        // Clients of one station (nbtd's) calling each other all come from the station's own address.
        var server = await StartServerAsync(o => (o.MaxConnectionsPerAddress, o.MaxPendingPerAddress) = (2, 2));
        PostListens(server, 20);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(SessionCallOutcome.Connected, (await CallAsync(Host("10.1.0.1"), $"LOCAL{i}")).Outcome);
        }

        // A remote source is still capped.
        var remote = Host("10.1.2.1");
        Assert.Equal(SessionCallOutcome.Connected, (await CallAsync(remote, "REMOTE0")).Outcome);
        Assert.Equal(SessionCallOutcome.Connected, (await CallAsync(remote, "REMOTE1")).Outcome);
        Assert.NotEqual(SessionCallOutcome.Connected, (await CallAsync(remote, "REMOTE2")).Outcome);
        Assert.Equal(6, server.GetSessions().Count(s => s.RemoteEndPoint.Address.Equals(IPAddress.Parse("10.1.0.1"))));
    }

    private async Task<SessionServiceNode> StartServerAsync(Action<SessionServiceOptions> configure, params NetBiosName[] moreNames)
    {
        var options = new SessionServiceOptions { ListenEndPoint = ServerEndPoint };
        configure(options);
        var names = new StaticNames([Served, .. moreNames]);
        var server = new SessionServiceNode(Host("10.1.0.1"), options, names, new StaticNames(), _time);
        _owned.Add(server);
        await server.StartAsync(Ct);
        return server;
    }

    private static void PostListens(SessionServiceNode server, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = server.ListenAsync(Served, null, Ct).AsTask();
        }
    }

    private InMemoryHost Host(string address)
    {
        if (!_hosts.TryGetValue(address, out var host))
        {
            _hosts[address] = host = _network.AddHost(IPAddress.Parse(address));
        }

        return host;
    }

    private async Task<SessionCallResult> CallAsync(InMemoryHost host, string calling, NetBiosName? called = null)
    {
        var client = new SessionServiceNode(host, new SessionServiceOptions(), new StaticNames(), new StaticNames(), _time);
        _owned.Add(client);
        return await client.CallAsync(NetBiosName.Create(calling, 0), called ?? Served, [ServerEndPoint], Ct);
    }

    /// <summary>A session that is established and then never carries a byte (the attacker of item 1).</summary>
    private async Task SilentSessionAsync(InMemoryHost host)
    {
        var raw = await host.ConnectAsync(ServerEndPoint, Ct);
        _raw.Add(raw);
        await WriteAsync(raw, new SessionRequest(Served, NetBiosName.Create("SILENT", 0)).ToArray());
        var response = await raw.Transport.Input.ReadAtLeastAsync(4, Ct);
        Assert.Equal(0x82, response.Buffer.FirstSpan[0]);
        raw.Transport.Input.AdvanceTo(response.Buffer.End);
    }

    private static async Task WriteAsync(IStreamConnection connection, byte[] bytes)
    {
        await connection.Transport.Output.WriteAsync(bytes, Ct);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition());
    }
}
