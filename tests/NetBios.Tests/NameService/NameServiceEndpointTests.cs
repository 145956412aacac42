using System.Net;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// The name service endpoint: handlers in order on one port (the node's responder and a second engine side by side),
/// and the one request exchange (retransmissions, windows, collect / finish / WACK verdicts) on a fake clock.
/// </summary>
public sealed class NameServiceEndpointTests
{
    private static readonly IPAddress ServedAddress = IPAddress.Parse("10.9.9.9");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A second engine on the node's port: answers queries for the names it serves, passes the rest on.</summary>
    private sealed class ServedNames(params NetBiosName[] served) : INameServiceHandler
    {
        public int Offered { get; private set; }

        public ValueTask<NameServiceHandlerResult> HandleAsync(NameServiceRequest request, CancellationToken cancellationToken)
        {
            Offered++;
            return ValueTask.FromResult(request.Packet.Kind == NameServicePacketKind.NameQueryRequest && request.QuestionName is { } name && served.Contains(name)
                ? NameServiceHandlerResult.Answer(NameServicePacket.CreatePositiveQueryResponse(request.Packet.Header.TransactionId, name, 600,
                    [new NbAddressEntry(NbFlags.None, ServedAddress)]))
                : NameServiceHandlerResult.NotMine);
        }
    }

    [Fact]
    public async Task SecondHandler_AnswersItsNames_WhileTheNodeKeepsAnsweringItsOwn_OverRealUdp()
    {
        var loopbackBroadcast = IPAddress.Parse("127.255.255.255");
        var fastOptions = new NameServiceOptions { RemotePort = 9, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20), UnicastRetryTimeout = TimeSpan.FromMilliseconds(500) };
        await using var endpoint = new NameServiceEndpoint(UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 }), IPAddress.Loopback);
        await using var node = new NameServiceNode(endpoint, loopbackBroadcast, fastOptions);
        var served = new ServedNames(NetBiosName.Create("SERVED", 0x20));
        endpoint.AddHandler(served);
        node.Start();
        var own = NetBiosName.Create("NODEOWN", 0x20);
        Assert.True((await node.RegisterAsync(own, cancellationToken: Ct)).Succeeded);
        Assert.Equal([typeof(NodeResponder), typeof(ServedNames)], endpoint.Handlers.Select(h => h.GetType()));

        await using var client = new NameServiceNode(UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 }),
            IPAddress.Loopback, loopbackBroadcast, new NameServiceOptions { RemotePort = endpoint.LocalEndPoint.Port, UnicastRetryTimeout = TimeSpan.FromSeconds(5) });
        client.Start();
        var direct = new NameQueryOptions { Target = endpoint.LocalEndPoint, RecursionDesired = false, UseCache = false };

        var ownAnswer = await client.QueryAsync(own, direct, Ct);
        var servedAnswer = await client.QueryAsync(NetBiosName.Create("SERVED", 0x20), direct, Ct);
        var unknown = await client.QueryAsync(NetBiosName.Create("NOBODY", 0x20), direct, Ct);
        var status = await client.GetNodeStatusAsync(IPAddress.Loopback, cancellationToken: Ct);

        Assert.Equal(QueryOutcome.Found, ownAnswer.Outcome);
        Assert.Equal(IPAddress.Loopback, Assert.Single(ownAnswer.Answers).Address);
        Assert.Equal(QueryOutcome.Found, servedAnswer.Outcome);
        Assert.Equal(ServedAddress, Assert.Single(servedAnswer.Answers).Address);
        Assert.Equal(QueryOutcome.NotFound, unknown.Outcome);
        Assert.Equal(NameServiceRcode.NameError, unknown.Rcode);
        Assert.Equal(QueryOutcome.Found, status.Outcome);
        Assert.Contains(status.Names, n => n.Name == own);

        // The node's own name took the fast path and never reached the second handler; the other two queries did
        // (the unknown one was then answered NAM_ERR by the endpoint), and the status request was the node's.
        Assert.Equal(2, served.Offered);
        Assert.True(node.Statistics.QueriesAnswered >= 1);
        Assert.Equal(1, node.Statistics.NodeStatusAnswered);
    }

    [Fact]
    public async Task Handlers_AreOfferedRequestsInOrder_TheFirstThatTakesOneEndsIt_AndRemovedOnesAreSkipped()
    {
        await using var net = new NameServiceTestNetwork();
        var server = net.AddRawHost(out var serverAddress);
        await using var endpoint = new NameServiceEndpoint(server, serverAddress, net.Time);
        var seen = new List<string>();
        var name = NetBiosName.Create("ORDERED", 0x20);
        var first = new RecordingHandler("first", seen, NameServiceHandlerResult.NotMine);
        var second = new RecordingHandler("second", seen, NameServiceHandlerResult.Ignored);
        var third = new RecordingHandler("third", seen, NameServiceHandlerResult.NotMine);
        endpoint.AddHandler(first);
        endpoint.AddHandler(second);
        endpoint.AddHandler(third);
        endpoint.Start();
        var asker = net.AddRawHost(out _);

        await SendQueryAsync(asker, name, new IPEndPoint(serverAddress, 137));
        await WaitUntilAsync(() => seen.Count >= 2);
        Assert.True(endpoint.RemoveHandler(second));
        await SendQueryAsync(asker, name, new IPEndPoint(serverAddress, 137));
        await WaitUntilAsync(() => seen.Count >= 4);

        Assert.Equal(["first", "second", "first", "third"], seen);
        Assert.False(endpoint.RemoveHandler(second));
    }

    [Fact]
    public async Task Exchange_WithoutAnswer_SendsAttemptsTimesAWindowApart_ThenTimesOut()
    {
        await using var net = new NameServiceTestNetwork();
        var (endpoint, responder, target) = StartExchangePair(net, (_, _) => { });
        using var _ = responder;
        await using var __ = endpoint;
        var name = NetBiosName.Create("SILENT", 0x20);
        var start = net.Time.GetUtcNow();

        var result = await net.Run(endpoint.ExchangeAsync(name, id => NameServicePacket.CreateNameQueryRequest(id, name, true, false),
            new NameServiceExchange(target, target.Address, Attempts: 3, Window: TimeSpan.FromSeconds(2)), _ => NameServiceVerdict.Finish, Ct));

        Assert.True(result.TimedOut);
        Assert.InRange(net.Time.GetUtcNow() - start, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6.2));
        Assert.Equal(3, (await responder.WaitForRequestsAsync(_ => true, 3)).Count);
        Assert.All(responder.Requests, r => Assert.Equal(result.TransactionId, r.Header.TransactionId));
    }

    [Fact]
    public async Task Exchange_Wack_StopsRetransmitting_AndWaitsItsTimeForTheFinalAnswer()
    {
        await using var net = new NameServiceTestNetwork();
        var name = NetBiosName.Create("WACKED", 0x20);
        var (endpoint, responder, target) = StartExchangePair(net, (request, reply) =>
        {
            reply(NameServicePacket.CreateWackResponse(request.Header.TransactionId, name, 20, (ushort)request.Header.Flags), TimeSpan.Zero);
            reply(NameServicePacket.CreatePositiveRegistrationResponse(request.Header.TransactionId, name, 300, NbFlags.None, IPAddress.Parse("10.1.0.99")),
                TimeSpan.FromSeconds(15));
        });
        using var _ = responder;
        await using var __ = endpoint;
        var start = net.Time.GetUtcNow();

        var result = await net.Run(endpoint.ExchangeAsync(name,
            id => NameServicePacket.CreateRegistrationRequest(id, name, 300, NbFlags.None, IPAddress.Parse("10.1.0.99"), broadcast: false, recursionDesired: true),
            new NameServiceExchange(target, target.Address, Attempts: 3, Window: TimeSpan.FromSeconds(1)),
            r => r.Packet.Kind == NameServicePacketKind.WaitForAcknowledgementResponse
                ? NameServiceVerdict.WaitLonger(TimeSpan.FromSeconds(r.Packet.Answers[0].Ttl))
                : NameServiceVerdict.Finish,
            Ct));

        Assert.Equal(NameServicePacketKind.PositiveRegistrationResponse, result.Final?.Packet.Kind);
        Assert.InRange(net.Time.GetUtcNow() - start, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(16));
        Assert.Single(responder.Requests); // no retransmission after the WACK, though 15 s is far past the 1 s window
    }

    [Fact]
    public async Task Exchange_Collect_KeepsEveryAnswerOfTheWindow_AndSendsNoMore_WhileIgnoredAndForeignOnesDoNotCount()
    {
        await using var net = new NameServiceTestNetwork();
        var name = NetBiosName.Create("COLLECTED", 0x20);
        var (endpoint, responder, target) = StartExchangePair(net, (request, reply) =>
        {
            var id = request.Header.TransactionId;
            reply(NameServicePacket.CreateNegativeQueryResponse(id, name, NameServiceRcode.NameError), TimeSpan.Zero); // ignored by the filter
            reply(NameServicePacket.CreatePositiveQueryResponse(id, name, 60, [new NbAddressEntry(NbFlags.Group, IPAddress.Parse("10.1.0.50"))]), TimeSpan.FromMilliseconds(100));
            reply(NameServicePacket.CreatePositiveQueryResponse(id, NetBiosName.Create("OTHER", 0x20), 60, [new NbAddressEntry(NbFlags.Group, IPAddress.Parse("10.1.0.52"))]),
                TimeSpan.FromMilliseconds(150)); // another name: never delivered
            reply(NameServicePacket.CreatePositiveQueryResponse(id, name, 60, [new NbAddressEntry(NbFlags.Group, IPAddress.Parse("10.1.0.51"))]), TimeSpan.FromMilliseconds(200));
        });
        using var _ = responder;
        await using var __ = endpoint;

        var result = await net.Run(endpoint.ExchangeAsync(name, id => NameServicePacket.CreateNameQueryRequest(id, name, true, false),
            new NameServiceExchange(target, target.Address, Attempts: 3, Window: TimeSpan.FromSeconds(1)),
            r => r.Packet.Kind == NameServicePacketKind.PositiveQueryResponse ? NameServiceVerdict.Collect : NameServiceVerdict.Ignore, Ct));

        Assert.Null(result.Final);
        Assert.False(result.TimedOut);
        Assert.Equal(["10.1.0.50", "10.1.0.51"], result.Collected.Select(r => ((NbRecordData)r.Packet.Answers[0].Data).Entries[0].Address.ToString()));
        Assert.Single(responder.Requests);
    }

    [Fact]
    public async Task Exchange_AnswerFromAnotherAddress_IsNotDelivered()
    {
        await using var net = new NameServiceTestNetwork();
        var name = NetBiosName.Create("SPOOFED", 0x20);
        var (endpoint, responder, target) = StartExchangePair(net, (_, _) => { });
        using var _ = responder;
        await using var __ = endpoint;
        var spoofer = net.AddRawHost(out var spooferAddress);
        Assert.NotEqual(spooferAddress, target.Address);
        ushort seenId = 0;

        var exchange = endpoint.ExchangeAsync(name, id => { seenId = id; return NameServicePacket.CreateNameQueryRequest(id, name, true, false); },
            new NameServiceExchange(target, target.Address, Attempts: 1, Window: TimeSpan.FromSeconds(2)), _ => NameServiceVerdict.Finish, Ct).AsTask();
        await WaitUntilAsync(() => responder.Requests.Count == 1);
        await spoofer.SendToAsync(NameServicePacket.CreatePositiveQueryResponse(seenId, name, 60, [new NbAddressEntry(NbFlags.None, IPAddress.Parse("6.6.6.6"))]).ToArray(),
            new IPEndPoint(endpoint.LocalAddress, 137), Ct);
        var result = await net.Run(new ValueTask<NameServiceExchangeResult>(exchange));

        Assert.True(result.TimedOut);
        Assert.Equal(1, endpoint.Statistics.Unsolicited);
    }

    private static (NameServiceEndpoint Endpoint, ScriptedResponder Responder, IPEndPoint Target) StartExchangePair(NameServiceTestNetwork net,
        Action<NameServicePacket, Action<NameServicePacket, TimeSpan>> script)
    {
        var server = net.AddRawHost(out var serverAddress);
        var responder = new ScriptedResponder(server, (request, _, reply) => script(request, reply)) { Time = net.Time };
        var endpoint = new NameServiceEndpoint(net.AddRawHost(out var clientAddress), clientAddress, net.Time);
        endpoint.Start();
        return (endpoint, responder, new IPEndPoint(serverAddress, 137));
    }

    private static async Task SendQueryAsync(IDatagramTransport from, NetBiosName name, IPEndPoint to) =>
        await from.SendToAsync(NameServicePacket.CreateNameQueryRequest(0x1234, name, recursionDesired: false, broadcast: false).ToArray(), to, Ct);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 2000 && !condition(); i++)
        {
            await Task.Delay(5, Ct);
        }

        Assert.True(condition());
    }

    private sealed class RecordingHandler(string label, List<string> seen, NameServiceHandlerResult result) : INameServiceHandler
    {
        public ValueTask<NameServiceHandlerResult> HandleAsync(NameServiceRequest request, CancellationToken cancellationToken)
        {
            lock (seen)
            {
                seen.Add(label);
            }

            return ValueTask.FromResult(result);
        }
    }
}
