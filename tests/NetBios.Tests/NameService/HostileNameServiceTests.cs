using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// Issue 17 ("Hostile networks, round two"), items 3 and 6: answers larger than their requests are rate-limited per
/// source, repeated events are logged once per interval, and a conflict claimed by the network is verified with the
/// claimed owner before the name is given up — on the in-memory network with a fake clock and over real UDP sockets.
/// </summary>
public sealed class HostileNameServiceTests
{
    private static readonly NetBiosName Fred = NetBiosName.Create("FRED", 0x20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void LogThrottle_ManyEventsInOneInterval_OneLinePerIntervalWithTheCount()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time, TimeSpan.FromSeconds(10));
        var lines = new List<long>();
        void Events(int n)
        {
            for (int i = 0; i < n; i++)
            {
                if (throttle.ShouldLog(out long count))
                {
                    lines.Add(count);
                }
            }
        }

        Events(1000);
        time.Advance(TimeSpan.FromSeconds(9));
        Events(500);
        time.Advance(TimeSpan.FromSeconds(1));
        Events(1);
        time.Advance(TimeSpan.FromSeconds(30));
        Events(3);

        // The first event logs at once; the 999 + 500 that follow within the interval come with the next line.
        Assert.Equal([1, 1500, 3 - 2], lines);
    }

    [Fact]
    public async Task DefenceFlood_IsLoggedOncePerIntervalWithTheCount()
    {
        // Issue 17 item 6: every defended registration was a line at info level (100 000 lines in 10 s of flood).
        await using var net = new NameServiceTestNetwork();
        var logger = new ListLogger();
        await using var endpoint = new NameServiceEndpoint(net.AddRawHost(out var address), address, net.Time);
        await using var defender = new NameServiceNode(endpoint, net.Segment.BroadcastAddress, timeProvider: net.Time, logger: logger);
        defender.Start();
        await net.Run(defender.RegisterAsync(NetBiosName.Create("DEFENDER", 0x20)));
        var attacker = net.AddRawHost(out var attackerAddress);
        var claim = NameServicePacket.CreateRegistrationRequest(7, NetBiosName.Create("DEFENDER", 0x20), 300, NbFlags.None, attackerAddress,
            broadcast: false, recursionDesired: false).ToArray();

        for (int i = 0; i < 200; i++)
        {
            await attacker.SendToAsync(claim, new IPEndPoint(address, 137), Ct);
        }

        await WaitForAsync(() => defender.Statistics.Defences >= 200);
        net.Time.Advance(TimeSpan.FromSeconds(10));
        await attacker.SendToAsync(claim, new IPEndPoint(address, 137), Ct);
        await WaitForAsync(() => defender.Statistics.Defences >= 201);

        var lines = logger.Lines.Where(l => l.EventId == 104).Select(l => l.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains(" 1 time(s)", lines[0]);
        Assert.Contains(" 200 time(s)", lines[1]);
    }

    [Fact]
    public void SourceRateLimiter_ManySources_TableStaysBounded_AndAKnownSourceKeepsItsBucket()
    {
        var time = new FakeTimeProvider();
        var options = new NameServiceEndpointOptions { AnswerBurst = 2, AnswersPerSecond = 1, MaxRateLimitedSources = 64 };
        var limiter = new SourceRateLimiter(time, options);
        var genuine = IPAddress.Parse("10.0.0.1");
        Assert.True(limiter.TryAcquire(genuine));

        int overflowAnswers = 0;
        for (int i = 0; i < 100_000; i++)
        {
            var spoofed = IPAddress.Parse($"11.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}");
            bool full = limiter.TrackedSources >= options.MaxRateLimitedSources;
            if (limiter.TryAcquire(spoofed) && full)
            {
                overflowAnswers++;
            }
        }

        Assert.Equal(options.MaxRateLimitedSources, limiter.TrackedSources);
        Assert.True(limiter.TryAcquire(genuine), "the genuine source still has its own token");
        Assert.False(limiter.TryAcquire(genuine), "and no more than its burst");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(genuine), "refilled at the rate");
        Assert.InRange(overflowAnswers, 0, options.AnswerBurst); // new sources beyond the table share one bucket
    }

    [Fact]
    public void AnswerSizes_PositiveQueryAnswerIsLargerThanItsQuery_NodeStatusMuchLarger_DefenceSmaller()
    {
        // The byte counts the rate limit is built on (NameServiceEndpointOptions remarks).
        var query = NameServicePacket.CreateNameQueryRequest(1, Fred, recursionDesired: false, broadcast: false);
        var positive = NameServicePacket.CreatePositiveQueryResponse(1, Fred, 300_000, [new NbAddressEntry(NbFlags.None, IPAddress.Loopback)]);
        var negative = NameServicePacket.CreateNegativeQueryResponse(1, Fred, NameServiceRcode.NameError);
        var status = NameServicePacket.CreateNodeStatusRequest(1, NetBiosName.Wildcard);
        var registration = NameServicePacket.CreateRegistrationRequest(1, Fred, 300_000, NbFlags.None, IPAddress.Loopback, broadcast: true, recursionDesired: true);
        var defence = NameServicePacket.CreateNegativeRegistrationResponse(1, Fred, NameServiceRcode.ActiveError, NbFlags.None, IPAddress.Loopback);

        Assert.Equal(50, query.GetEncodedLength());
        Assert.Equal(62, positive.GetEncodedLength());
        Assert.Equal(56, negative.GetEncodedLength());
        Assert.Equal(50, status.GetEncodedLength());
        Assert.True(defence.GetEncodedLength() <= registration.GetEncodedLength());
    }

    [Fact]
    public async Task NodeStatusFlood_FromOneSource_GetsAtMostBurstPlusRate_AndAGenuineSourceStillGetsAnswers_OverRealUdp()
    {
        var endpointOptions = new NameServiceEndpointOptions { AnswerBurst = 10, AnswersPerSecond = 5 };
        await using var node = new NameServiceNode(UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 }),
            IPAddress.Loopback, IPAddress.Parse("127.255.255.255"),
            new NameServiceOptions { RemotePort = 9, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20), Endpoint = endpointOptions });
        node.Start();
        Assert.True((await node.RegisterAsync(Fred, cancellationToken: Ct)).Succeeded);
        var target = node.LocalEndPoint;

        await using var attacker = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Parse("127.0.0.2"), Port = 0 });
        await using var genuine = new NameServiceNode(UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Parse("127.0.0.3"), Port = 0 }),
            IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.255.255.255"),
            new NameServiceOptions { RemotePort = target.Port, UnicastRetryTimeout = TimeSpan.FromSeconds(2) });
        genuine.Start();

        long bytesToNode = 0, bytesToAttacker = 0, answers = 0;
        using var floodSent = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            byte[] buffer = new byte[1024];
            while (true)
            {
                // The answers have stopped: a bound, not a pause, and only once the whole flood is sent (while it is, a
                // loaded machine can leave the node's receive thread unscheduled for longer than any short quiet window).
                bool sent = floodSent.IsCancellationRequested;
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(Ct, sent ? CancellationToken.None : floodSent.Token);
                quiet.CancelAfter(sent ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(60));
                try
                {
                    var received = await attacker.ReceiveFromAsync(buffer, quiet.Token);
                    Interlocked.Add(ref bytesToAttacker, received.Length);
                    Interlocked.Increment(ref answers);
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    if (sent)
                    {
                        return;
                    }
                }
            }
        }, Ct);

        var clock = Stopwatch.StartNew();
        var genuineStatus = new List<Task<NodeStatusResult>>();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] request = NameServicePacket.CreateNodeStatusRequest((ushort)i, NetBiosName.Wildcard).ToArray();
            await attacker.SendToAsync(request, target, Ct);
            bytesToNode += request.Length;
            if (i % 5_000 == 0)
            {
                genuineStatus.Add(genuine.GetNodeStatusAsync(IPAddress.Loopback, cancellationToken: Ct).AsTask());
            }
        }

        await floodSent.CancelAsync();
        var statuses = await Task.WhenAll(genuineStatus);
        await receiving;
        double seconds = clock.Elapsed.TotalSeconds;

        int answerLength = (int)(bytesToAttacker / Math.Max(answers, 1));
        Assert.InRange(answers, 1, endpointOptions.AnswerBurst + (endpointOptions.AnswersPerSecond * seconds) + 1);
        Assert.True(bytesToAttacker - (endpointOptions.AnswerBurst * answerLength) <= bytesToNode,
            $"{bytesToAttacker} bytes to the flooding source for {bytesToNode} from it");
        Assert.True(node.Statistics.AnswersRateLimited > 0);
        Assert.All(statuses, s => Assert.Equal(QueryOutcome.Found, s.Outcome));
    }

    [Fact]
    public async Task QueryFlood_PositiveAnswersAreNotLimited_NegativeOnesAreAfterTheBurst()
    {
        await using var net = new NameServiceTestNetwork();
        var node = net.AddNode(o => o.Endpoint = new NameServiceEndpointOptions { AnswerBurst = 10, AnswersPerSecond = 5 });
        Assert.Equal(RegistrationOutcome.Registered, (await net.Run(node.RegisterAsync(Fred))).Outcome);
        var querier = net.AddRawHost(out _, port: 5000);

        // The fake clock stands still: a limited answer gets the burst and nothing more.
        int positive = await CountAnswersAsync(querier, node, Fred, 100);
        int negative = await CountAnswersAsync(querier, node, NetBiosName.Create("NOBODY", 0x20), 100);

        Assert.Equal(100, positive); // what the service is for: a heavy querier is never cut off
        Assert.Equal(10, negative);  // NAM_ERR is longer than its query: the burst, then dropped
        Assert.Equal(90, node.Statistics.AnswersRateLimited);
    }

    private static async Task<int> CountAnswersAsync(IDatagramTransport querier, NameServiceNode node, NetBiosName name, int queries)
    {
        long received = node.Statistics.Received;
        for (int i = 0; i < queries; i++)
        {
            await querier.SendToAsync(NameServicePacket.CreateNameQueryRequest((ushort)(i + 1), name, false, false).ToArray(), node.LocalEndPoint, Ct);
        }

        // Every query handled first (a loaded machine can stall the node's receive loop for longer than the quiet window
        // below); then the quiet window only has to cover an answer already being sent.
        await WaitForAsync(() => node.Statistics.Received >= received + queries);
        int answers = 0;
        byte[] buffer = new byte[1024];
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            quiet.CancelAfter(TimeSpan.FromSeconds(2)); // real time: the answers have stopped (a bound, not a pause)
            try
            {
                await querier.ReceiveFromAsync(buffer, quiet.Token);
                answers++;
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                return answers;
            }
        }
    }

    [Fact]
    public async Task BlindFloodOfNegativeResponses_DuringRegistration_NodeKeepsTheName()
    {
        await using var net = new NameServiceTestNetwork();
        net.Network.ReceiveQueueCapacity = 70_000;
        var node = net.AddNode();
        var attacker = net.AddRawHost(out var attackerAddress);

        var registering = node.RegisterAsync(Fred).AsTask();
        // Blind: every transaction ID, the right name, from an address that does not hold it; one of them matches.
        await FloodNegativeResponsesAsync(attacker, node.LocalEndPoint, attackerAddress);
        await WaitForAsync(() => node.Statistics.Received >= 65_536);
        var result = await net.Run(new ValueTask<NameRegistrationResult>(registering));

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal(LocalNameState.Registered, node.Names.Find(Fred)!.State);
        Assert.Equal(1, node.Statistics.UnconfirmedClaims);
        Assert.True(node.Statistics.Unsolicited >= 65_000, $"{node.Statistics.Unsolicited} unsolicited"); // the rest of the flood
    }

    [Fact]
    public async Task BlindFloodOfNegativeResponses_GenuineOwnerStillWinsTheConflict()
    {
        await using var net = new NameServiceTestNetwork();
        net.Network.ReceiveQueueCapacity = 70_000;
        var owner = net.AddNode();
        var node = net.AddNode();
        var attacker = net.AddRawHost(out var attackerAddress);
        await net.Run(owner.RegisterAsync(Fred));

        var registering = node.RegisterAsync(Fred).AsTask();
        await FloodNegativeResponsesAsync(attacker, node.LocalEndPoint, attackerAddress);
        await WaitForAsync(() => node.Statistics.Received >= 65_536);
        var result = await net.Run(new ValueTask<NameRegistrationResult>(registering));

        Assert.Equal(RegistrationOutcome.Conflict, result.Outcome);
        Assert.Equal(owner.Address, result.Owner);
        Assert.Null(node.Names.Find(Fred));
    }

    [Fact]
    public async Task ClaimFromANodeThatDoesNotHoldTheName_IsRefuted_AndTheNameRegistered()
    {
        // An attacker that sees the request (no guessing needed) still cannot take the name: it cannot confirm.
        await using var net = new NameServiceTestNetwork();
        var node = net.AddNode();
        var attacker = net.AddRawHost(out var attackerAddress);
        var answering = Task.Run(async () =>
        {
            byte[] buffer = new byte[1024];
            for (int claims = 0; claims < 2;)
            {
                var received = await attacker.ReceiveFromAsync(buffer, Ct);
                if (NameServicePacket.TryDecode(buffer.AsSpan(0, received.Length), out var packet, out _)
                    && packet.Kind == NameServicePacketKind.NameRegistrationRequest)
                {
                    claims++;
                    await attacker.SendToAsync(NameServicePacket.CreateNegativeRegistrationResponse(packet.Header.TransactionId, Fred,
                        NameServiceRcode.ActiveError, NbFlags.None, attackerAddress).ToArray(), received.RemoteEndPoint, Ct);
                }
                else if (packet?.Kind == NameServicePacketKind.NameQueryRequest)
                {
                    await attacker.SendToAsync(NameServicePacket.CreateNegativeQueryResponse(packet.Header.TransactionId, Fred,
                        NameServiceRcode.NameError).ToArray(), received.RemoteEndPoint, Ct);
                }
            }
        }, Ct);

        var result = await net.Run(node.RegisterAsync(Fred));
        await answering;

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal(1, node.Statistics.UnconfirmedClaims);
    }

    [Fact]
    public async Task BlindFloodOfNegativeResponses_OverRealUdp_NodeKeepsTheName_AndTheGenuineOwnerStillWins()
    {
        // The owner holds OWNED on 127.0.0.3; the registering node's "broadcast" goes there (loopback has none).
        var owned = NetBiosName.Create("OWNED", 0x20);
        await using var owner = new NameServiceNode(UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Parse("127.0.0.3"), Port = 0 }),
            IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.255.255.255"), new NameServiceOptions { RemotePort = 9, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20) });
        owner.Start();
        Assert.True((await owner.RegisterAsync(owned, cancellationToken: Ct)).Succeeded);
        await using var node = new NameServiceNode(UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 }),
            IPAddress.Loopback, IPAddress.Parse("127.0.0.3"),
            // The default unicast timeout: the owner's answer to the claim check (a NAME QUERY) crosses the flooded socket
            // on a machine the flooders load; 3 x 200 ms lost it under load, and an owner that does not answer in time is
            // taken for a spoofer (refuted), so the node kept a name the genuine owner holds.
            new NameServiceOptions { RemotePort = owner.LocalEndPoint.Port });
        node.Start();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var flooders = Enumerable.Range(4, 4).Select(host => Task.Run(async () =>
        {
            // Several spoofing sources, random transaction IDs, the right names, bounded in packets.
            await using var attacker = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Parse($"127.0.0.{host}"), Port = 0 });
            var random = new Random(host);
            for (int i = 0; i < 400_000 && !stop.IsCancellationRequested; i++)
            {
                var name = i % 2 == 0 ? Fred : owned;
                await attacker.SendToAsync(NameServicePacket.CreateNegativeRegistrationResponse((ushort)random.Next(65536), name,
                    NameServiceRcode.ActiveError, NbFlags.None, IPAddress.Parse($"127.0.0.{host}")).ToArray(), node.LocalEndPoint, stop.Token);
            }
        }, stop.Token)).ToList();

        var kept = await node.RegisterAsync(Fred, cancellationToken: Ct);
        var conflict = await node.RegisterAsync(owned, cancellationToken: Ct);
        await stop.CancelAsync();
        await Task.WhenAll(flooders.Select(f => f.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(RegistrationOutcome.Registered, kept.Outcome);
        Assert.Equal(RegistrationOutcome.Conflict, conflict.Outcome);
        Assert.Equal(IPAddress.Parse("127.0.0.3"), conflict.Owner);
        Assert.True(node.Statistics.Unsolicited > 0, "the flood reached the node");
    }

    private static async Task FloodNegativeResponsesAsync(IDatagramTransport attacker, IPEndPoint target, IPAddress claimed)
    {
        for (int id = 0; id < 65_536; id++)
        {
            await attacker.SendToAsync(NameServicePacket.CreateNegativeRegistrationResponse((ushort)id, Fred, NameServiceRcode.ActiveError,
                NbFlags.None, claimed).ToArray(), target, Ct);
        }
    }

    /// <summary>Lets the receive loop work through what is queued (real time, bounded; the fake clock stands still).</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        var limit = Stopwatch.StartNew();
        while (!condition() && limit.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Yield();
        }

        Assert.True(condition(), "the node did not get through the flood in time");
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        private readonly Lock _lock = new();
        private readonly List<(int EventId, string Message)> _lines = [];

        public IReadOnlyList<(int EventId, string Message)> Lines
        {
            get
            {
                lock (_lock)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (_lock)
            {
                _lines.Add((eventId.Id, formatter(state, exception)));
            }
        }
    }
}
