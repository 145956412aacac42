using System.Net;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Station;
using NetBios.Tests.TestCommon;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// Conflicting answers have consequences (issue "Hostile networks, round two", item 4): an impostor on the segment
/// answering every broadcast query with its own address gets no session and no datagram. A naive one (it does not
/// hold the name in its node status) is filtered out by node status verification; one that also lies in its node
/// status makes the resolution a conflict, and callers fail with a clear result instead of picking one.
/// </summary>
public sealed class ConflictingAnswerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task NaiveImpostor_IsNotVerified_CallsAndDatagramsGoToTheGenuineHolder()
    {
        await using var net = new StationTestNetwork();
        var (genuine, caller) = (net.AddStation(), net.AddStation());
        var fred = await net.Register(genuine, "FRED", 0x20);
        var me = await net.Register(caller, "ME");
        await using var impostor = await Impostor.StartAsync(net, lieInNodeStatus: false);

        var query = await net.Run(caller.QueryAsync(fred, new NameQueryOptions { UseCache = false }, Ct));
        Assert.Equal(QueryOutcome.Found, query.Outcome);
        Assert.Equal([genuine.Address], query.Addresses);
        Assert.Contains(query.Diagnostics, d => d.Contains($"node status verified {genuine.Address}", StringComparison.Ordinal));

        var listen = genuine.ListenAsync(fred, null, Ct).AsTask();
        var call = await net.Run(caller.CallAsync(me, fred, Ct));
        Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        Assert.Equal(genuine.Address, call.Session!.RemoteEndPoint.Address);
        Assert.Equal(SessionListenOutcome.Connected, (await listen).Outcome);

        var sent = await net.Run(caller.SendDatagramAsync(me, fred, "hello"u8.ToArray(), cancellationToken: Ct));
        Assert.Equal(DatagramSendOutcome.Sent, sent.Outcome);
        Assert.Equal(0, impostor.Connections);
        Assert.DoesNotContain(net.Network.Traffic, d => d.Destination.Equals(new IPEndPoint(impostor.Address, 138)));
    }

    [Fact(Timeout = 120_000)]
    public async Task ImpostorThatAlsoLiesInNodeStatus_MakesAConflict_NobodyIsCalled()
    {
        await using var net = new StationTestNetwork();
        var (genuine, caller) = (net.AddStation(), net.AddStation());
        var fred = await net.Register(genuine, "FRED", 0x20);
        var me = await net.Register(caller, "ME");
        await using var impostor = await Impostor.StartAsync(net, lieInNodeStatus: true);

        var query = await net.Run(caller.QueryAsync(fred, new NameQueryOptions { UseCache = false }, Ct));
        Assert.Equal(QueryOutcome.Conflict, query.Outcome);
        Assert.True(query.HasConflictingAnswers);

        _ = genuine.ListenAsync(fred, null, Ct).AsTask();
        var call = await net.Run(caller.CallAsync(me, fred, Ct));
        Assert.Equal(SessionCallOutcome.ConflictingAnswers, call.Outcome);
        var sent = await net.Run(caller.SendDatagramAsync(me, fred, "hello"u8.ToArray(), cancellationToken: Ct));
        Assert.Equal(DatagramSendOutcome.ConflictingAnswers, sent.Outcome);

        Assert.Equal(0, impostor.Connections);
        Assert.DoesNotContain(net.Network.Traffic, d => d.Destination.Port == 138 && !d.Destination.Address.Equals(net.Segment.BroadcastAddress));
        Assert.Empty(genuine.GetSessions());
    }

    /// <summary>
    /// A Responder-style node: answers every name query with its own address, optionally claims every name in its
    /// node status too, and counts the session connections it gets.
    /// </summary>
    private sealed class Impostor : IAsyncDisposable
    {
        private readonly ScriptedResponder _responder;
        private readonly IStreamListener _listener;
        private readonly Task _accepting;
        private int _connections;

        private Impostor(ScriptedResponder responder, IStreamListener listener, IPAddress address)
        {
            _responder = responder;
            _listener = listener;
            Address = address;
            _accepting = AcceptAsync();
        }

        public IPAddress Address { get; }

        public int Connections => Volatile.Read(ref _connections);

        public static async Task<Impostor> StartAsync(StationTestNetwork net, bool lieInNodeStatus)
        {
            var address = IPAddress.Parse("10.2.0.200");
            var host = net.Network.AddHost(address);
            var udp = net.Network.CreateDatagramTransport(address, 137);
            var responder = new ScriptedResponder(udp, (request, _) => request.Kind switch
            {
                NameServicePacketKind.NameQueryRequest => NameServicePacket.CreatePositiveQueryResponse(request.Header.TransactionId,
                    request.Questions[0].Name, 300, [new NbAddressEntry(NbFlags.None, address)]),
                NameServicePacketKind.NodeStatusRequest when lieInNodeStatus => NameServicePacket.CreateNodeStatusResponse(request.Header.TransactionId,
                    request.Questions[0].Name, [new NodeStatusEntry(NetBiosName.Create("FRED", 0x20), NodeStatusNameFlags.Active)], NodeStatistics.Create(new byte[6])),
                _ => null,
            })
            { IgnoreBroadcasts = false };
            var listener = await host.ListenAsync(new IPEndPoint(address, 139), Ct);
            return new Impostor(responder, listener, address);
        }

        public async ValueTask DisposeAsync()
        {
            _responder.Dispose();
            await _listener.DisposeAsync();
            await _accepting;
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (await _listener.AcceptAsync(CancellationToken.None) is { } connection)
                {
                    Interlocked.Increment(ref _connections);
                    connection.Abort();
                }
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
            }
        }
    }
}
