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
        var receiving = Task.Run(async () =>
        {
            byte[] buffer = new byte[1024];
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                quiet.CancelAfter(TimeSpan.FromSeconds(1)); // the answers have stopped: a bound, not a pause
                try
                {
                    var received = await attacker.ReceiveFromAsync(buffer, quiet.Token);
                    Interlocked.Add(ref bytesToAttacker, received.Length);
                    Interlocked.Increment(ref answers);
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    return;
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
}
