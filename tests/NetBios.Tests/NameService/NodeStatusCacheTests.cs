using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// The node status cache of broadcast answer verification (NodeStatusCache, NameServiceOptions.NodeStatusCacheLifetime;
/// docs/BROADCAST-VERIFICATION.md): one NODE STATUS answer (RFC 1002 §4.2.17–4.2.18) lists all of a host's names, so
/// concurrent checks of one address share one exchange and a found answer is reused for a short time. In-memory segment,
/// fake clock; the last tests drive the cache alone with a scripted exchange.
/// </summary>
public sealed class NodeStatusCacheTests
{
    private const int NameCount = 20;

    private static readonly NameQueryOptions Uncached = new() { UseCache = false };

    private static readonly NetBiosName[] ServerNames = [.. Enumerable.Range(1, NameCount).Select(i => NetBiosName.Create($"SRV{i:D2}", 0x20))];

    [Fact]
    public async Task TwentyNamesOfOneHost_ResolvedAtOnce_OneNodeStatus_AllVerified()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var host = HostOf(net, ServerNames, out var hostAddress);

        var results = await ResolveAll(net, asker, ServerNames);

        AssertAllVerified(results, hostAddress);
        Assert.Equal(1, NodeStatusRequests(net, hostAddress));
    }

    [Fact]
    public async Task SecondRound_WithinTheLifetime_NoRequest_AfterIt_ANewOne()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var host = HostOf(net, ServerNames, out var hostAddress);

        AssertAllVerified(await ResolveAll(net, asker, ServerNames), hostAddress);
        AssertAllVerified(await ResolveAll(net, asker, ServerNames), hostAddress); // about 250 ms later: reused
        Assert.Equal(1, NodeStatusRequests(net, hostAddress));

        await TestCommon.FakeClock.AdvanceAsync(net.Time, new NameServiceOptions().NodeStatusCacheLifetime, TimeSpan.FromMilliseconds(250));
        AssertAllVerified(await ResolveAll(net, asker, ServerNames), hostAddress);
        Assert.Equal(2, NodeStatusRequests(net, hostAddress));
    }

    [Fact]
    public async Task UsersNodeStatus_IsAlwaysFresh()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var host = HostOf(net, ServerNames, out var hostAddress);
        AssertAllVerified(await ResolveAll(net, asker, ServerNames[..1]), hostAddress);

        var status = await net.Run(asker.GetNodeStatusAsync(hostAddress));

        Assert.Equal(QueryOutcome.Found, status.Outcome);
        Assert.Equal(2, NodeStatusRequests(net, hostAddress));
    }

    [Fact]
    public async Task LifetimeZero_ConcurrentChecksStillShareTheExchangeInFlight_NothingIsReused()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode(o => o.NodeStatusCacheLifetime = TimeSpan.Zero);
        // Answered late, so that every check starts while the exchange is out however slowly the machine runs them.
        using var host = HostOf(net, ServerNames, out var hostAddress, nodeStatusDelay: TimeSpan.FromSeconds(1));

        AssertAllVerified(await ResolveAll(net, asker, ServerNames), hostAddress);
        Assert.Equal(1, NodeStatusRequests(net, hostAddress));

        AssertAllVerified(await ResolveAll(net, asker, ServerNames[..1]), hostAddress);
        Assert.Equal(2, NodeStatusRequests(net, hostAddress));
    }

    [Fact]
    public async Task Timeout_IsSharedByTheWaitersOfTheExchange_ButNotCached()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode(o => o.NodeStatusCacheLifetime = TimeSpan.FromMinutes(1));
        using var silent = HostOf(net, ServerNames, out var silentAddress, answersNodeStatus: false);

        var first = await ResolveAll(net, asker, ServerNames[..2]);

        Assert.All(first, r => Assert.Equal([silentAddress], r.Addresses));
        Assert.All(first, r => Assert.Contains(r.Diagnostics, d => d.StartsWith("unverified: node status unanswered", StringComparison.Ordinal)));
        Assert.Equal(3, NodeStatusRequests(net, silentAddress)); // UCAST_REQ_RETRY_COUNT of one exchange, shared by both checks

        var second = await ResolveAll(net, asker, ServerNames[..1]);

        Assert.Contains(second[0].Diagnostics, d => d.StartsWith("unverified: node status unanswered", StringComparison.Ordinal));
        Assert.Equal(6, NodeStatusRequests(net, silentAddress)); // asked again: the timeout was not kept
    }

    [Fact]
    public async Task CancelledWaiter_DoesNotFailTheOthersSharingTheExchange()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var host = HostOf(net, ServerNames, out var hostAddress, nodeStatusDelay: TimeSpan.FromSeconds(1));
        using var cancel = new CancellationTokenSource();

        var cancelled = asker.QueryAsync(ServerNames[0], Uncached, cancel.Token).AsTask();
        var other = asker.QueryAsync(ServerNames[1], Uncached).AsTask();
        await host.WaitForRequestsAsync(IsNodeStatus, 1);
        await cancel.CancelAsync();
        var result = await net.Run(new ValueTask<NameQueryResult>(other));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        AssertAllVerified([result], hostAddress);
        Assert.Equal(1, NodeStatusRequests(net, hostAddress));
    }

    [Fact]
    public async Task AnswerLackingTheName_IsARefutation_OnlyWhenFresh()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var host = HostOf(net, ServerNames[..1], out var hostAddress, claimed: ServerNames[..2]);

        AssertAllVerified(await ResolveAll(net, asker, ServerNames[..1]), hostAddress);
        var refuted = await ResolveAll(net, asker, ServerNames[1..2]);

        // The cached answer lacks SRV02: it is asked again, and the fresh answer, which also lacks it, refutes the claim.
        Assert.Equal(QueryOutcome.Conflict, refuted[0].Outcome);
        Assert.Contains(refuted[0].Diagnostics, d => d.Contains($"{hostAddress} refuted", StringComparison.Ordinal));
        Assert.Equal(2, NodeStatusRequests(net, hostAddress));
    }

    /// <summary>
    /// Two real nodes: the owner's responder limits node status answers (a burst of 10, then 5 a second per asker). 20
    /// resolutions of its names in one burst are all verified within the broadcast window, with one node status and
    /// nothing rate limited. Without the cache (each check its own exchange) this failed: 33 node status requests, 13
    /// answers rate limited, resolutions done after 250 ms (median 1500 ms, last 3000 ms): the checks beyond the burst
    /// waited for the unicast retransmissions.
    /// </summary>
    [Fact]
    public async Task RealNodeWithItsRateLimit_TwentyResolutionsInOneBurst_AllVerifiedWithinTheWindow()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        var asker = net.AddNode();
        await net.Run(new ValueTask<NameRegistrationResult[]>(Task.WhenAll(ServerNames.Select(n => owner.RegisterAsync(n).AsTask()))));
        Assert.All(owner.Names.Snapshot(), n => Assert.Equal(LocalNameState.Registered, n.State));
        var start = net.Time.GetUtcNow();
        var done = new TimeSpan[NameCount];

        var results = await net.Run(new ValueTask<NameQueryResult[]>(Task.WhenAll(ServerNames.Select(async (n, i) =>
        {
            var result = await asker.QueryAsync(n, Uncached);
            done[i] = net.Time.GetUtcNow() - start;
            return result;
        }))));

        AssertAllVerified(results, owner.Address);
        Assert.Equal(1, owner.Statistics.NodeStatusAnswered);
        Assert.Equal(0, owner.Statistics.AnswersRateLimited);
        Assert.All(done, t => Assert.True(t < new NameServiceOptions().UnicastRetryTimeout, $"a resolution took {t.TotalMilliseconds} ms"));
    }

    [Fact]
    public async Task Cache_Bound_EvictsTheOldest()
    {
        var time = new FakeTimeProvider();
        int exchanges = 0;
        var cache = new NodeStatusCache((a, _) =>
        {
            Interlocked.Increment(ref exchanges);
            return ValueTask.FromResult(Holding(a, ServerNames[0]));
        }, () => TimeSpan.FromMinutes(1), time, maxEntries: 4);
        var addresses = Enumerable.Range(1, 5).Select(i => IPAddress.Parse($"10.1.0.{i}")).ToArray();

        foreach (var address in addresses)
        {
            await cache.GetAsync(address, ServerNames[0], CancellationToken.None);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(4, cache.Count);
        Assert.False(cache.Contains(addresses[0]));
        Assert.All(addresses[1..], a => Assert.True(cache.Contains(a)));
        await cache.GetAsync(addresses[4], ServerNames[0], CancellationToken.None);
        Assert.Equal(5, exchanges);
        await cache.GetAsync(addresses[0], ServerNames[0], CancellationToken.None);
        Assert.Equal(6, exchanges);
        Assert.Equal(4, cache.Count);
    }

    [Fact]
    public async Task Cache_EntriesExpire_AndExpiredOnesMakeRoomFirst()
    {
        var time = new FakeTimeProvider();
        var cache = new NodeStatusCache((a, _) => ValueTask.FromResult(Holding(a, ServerNames[0])), () => TimeSpan.FromSeconds(2), time, maxEntries: 2);
        var a1 = IPAddress.Parse("10.1.0.1");
        var a2 = IPAddress.Parse("10.1.0.2");
        var a3 = IPAddress.Parse("10.1.0.3");

        await cache.GetAsync(a1, ServerNames[0], CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(a2, ServerNames[0], CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(cache.Contains(a1));
        Assert.True(cache.Contains(a2));
        await cache.GetAsync(a3, ServerNames[0], CancellationToken.None);
        Assert.Equal(2, cache.Count);
        Assert.True(cache.Contains(a2));
        Assert.True(cache.Contains(a3));
    }

    [Fact]
    public async Task Cache_ExchangeThatFails_ReachesItsWaiters_AndIsNotKept()
    {
        var time = new FakeTimeProvider();
        var gate = new TaskCompletionSource<NodeStatusResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        int exchanges = 0;
        var cache = new NodeStatusCache(async (_, _) =>
        {
            Interlocked.Increment(ref exchanges);
            return await gate.Task;
        }, () => TimeSpan.FromMinutes(1), time);
        var address = IPAddress.Parse("10.1.0.1");
        using var cancel = new CancellationTokenSource();

        var cancelled = cache.GetAsync(address, ServerNames[0], cancel.Token).AsTask();
        var first = cache.GetAsync(address, ServerNames[0], CancellationToken.None).AsTask();
        var second = cache.GetAsync(address, ServerNames[1], CancellationToken.None).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.SetException(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NetworkUnreachable));

        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => first);
        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => second);
        Assert.Equal(1, exchanges);
        Assert.Equal(0, cache.Count);
    }

    /// <summary>
    /// A raw host that claims each of <paramref name="claimed"/> (default: <paramref name="names"/>) in answer to
    /// broadcast queries, and whose node status lists <paramref name="names"/> (after <paramref name="nodeStatusDelay"/>),
    /// or is never answered.
    /// </summary>
    private static ScriptedResponder HostOf(NameServiceTestNetwork net, NetBiosName[] names, out IPAddress address,
        bool answersNodeStatus = true, TimeSpan nodeStatusDelay = default, NetBiosName[]? claimed = null)
    {
        IDatagramTransport transport = net.AddRawHost(out var own);
        address = own;
        claimed ??= names;
        return new ScriptedResponder(transport, (request, _, reply) =>
        {
            if (request.Kind == NameServicePacketKind.NameQueryRequest && claimed.Any(n => n.BytesEqual(request.Questions[0].Name)))
            {
                reply(NameServicePacket.CreatePositiveQueryResponse(request.Header.TransactionId, request.Questions[0].Name, 300,
                    [new NbAddressEntry(NbFlags.None, own)]), TimeSpan.Zero);
            }
            else if (request.Kind == NameServicePacketKind.NodeStatusRequest && answersNodeStatus)
            {
                reply(NameServicePacket.CreateNodeStatusResponse(request.Header.TransactionId, request.Questions[0].Name,
                    [.. names.Select(n => new NodeStatusEntry(n, NodeStatusNameFlags.Active))], NodeStatistics.Create(new byte[6])), nodeStatusDelay);
            }
        })
        { IgnoreBroadcasts = false, Time = net.Time };
    }

    private static NodeStatusResult Holding(IPAddress address, NetBiosName name) =>
        new(address, QueryOutcome.Found, [new NodeStatusEntry(name, NodeStatusNameFlags.Active)], null, null);

    private static Task<NameQueryResult[]> ResolveAll(NameServiceTestNetwork net, NameServiceNode asker, IEnumerable<NetBiosName> names) =>
        net.Run(new ValueTask<NameQueryResult[]>(Task.WhenAll(names.Select(n => asker.QueryAsync(n, Uncached).AsTask()))));

    private static void AssertAllVerified(IEnumerable<NameQueryResult> results, IPAddress holder) =>
        Assert.All(results, r =>
        {
            Assert.Equal(QueryOutcome.Found, r.Outcome);
            Assert.Equal([holder], r.Addresses);
            Assert.Contains($"node status verified {holder}", r.Diagnostics);
        });

    private static bool IsNodeStatus(NameServicePacket p) => p.Kind == NameServicePacketKind.NodeStatusRequest;

    /// <summary>NODE STATUS REQUESTs sent to the host, as recorded by the network when they were sent.</summary>
    private static int NodeStatusRequests(NameServiceTestNetwork net, IPAddress to) =>
        net.Network.Traffic.Count(d => d.Destination.Address.Equals(to)
            && NameServicePacket.TryDecode(d.Data.Span, out var packet, out _) && IsNodeStatus(packet));
}
