using System.Net;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// A lone broadcast answer is checked before it is used (NameServiceOptions.VerifyBroadcastAnswers; issue "impostor"):
/// a Responder-style impostor that answers every broadcast NAME QUERY first must not win against a genuine holder that
/// answers in a later retry window, and a claim refuted by its own node status (RFC 1002 §4.2.17–4.2.18) is never used.
/// In-memory segment, fake clock.
/// </summary>
public sealed class BroadcastAnswerVerificationTests
{
    private static readonly NetBiosName Fred = NetBiosName.Create("FRED", 0x20);

    private static readonly NameQueryOptions Uncached = new() { UseCache = false };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ImpostorAnswersAtOnce_GenuineAnswersInTheLastWindow_GenuineIsReturned(bool impostorAnswersNodeStatus)
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var impostor = Claimant(net, out var impostorAddress, holdsInNodeStatus: impostorAnswersNodeStatus ? false : null);
        using var genuine = Claimant(net, out var genuineAddress, holdsInNodeStatus: true, answerFromQuery: 3);

        var result = await net.Run(asker.QueryAsync(Fred, Uncached));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal([genuineAddress], result.Addresses);
        Assert.Contains(result.Diagnostics, d => d.Contains($"node status verified {genuineAddress}", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Answers, a => a.Address.Equals(impostorAddress));
        Assert.Equal(3, BroadcastQueries(net, asker.Address));
    }

    [Fact]
    public async Task ImpostorAlone_RefutedByItsNodeStatus_NoAddressAndNothingCached()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var impostor = Claimant(net, out var impostorAddress, holdsInNodeStatus: false);

        var result = await net.Run(asker.QueryAsync(Fred));

        Assert.Equal(QueryOutcome.Conflict, result.Outcome);
        Assert.Contains(result.Diagnostics, d => d.Contains($"{impostorAddress} refuted", StringComparison.Ordinal));
        Assert.Equal(3, BroadcastQueries(net, asker.Address));
        Assert.Equal(1, NodeStatusRequests(net, asker.Address, impostorAddress));
        Assert.False(asker.Cache.TryGet(Fred, out _));
    }

    [Fact]
    public async Task GenuineAlone_IsFoundAfterExactlyOneNodeStatus_AndCached()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        var asker = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));

        var result = await net.Run(asker.QueryAsync(Fred));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal([owner.Address], result.Addresses);
        Assert.Contains(result.Diagnostics, d => d == $"node status verified {owner.Address}");
        Assert.Equal(1, NodeStatusRequests(net, asker.Address, owner.Address));
        Assert.True(asker.Cache.TryGet(Fred, out var cached));
        Assert.Equal(owner.Address, Assert.Single(cached!).Address);
    }

    [Fact]
    public async Task GenuineThatNeverAnswersNodeStatus_IsFoundUnverified()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var silent = Claimant(net, out var silentAddress, holdsInNodeStatus: null);

        var result = await net.Run(asker.QueryAsync(Fred));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal([silentAddress], result.Addresses);
        Assert.Contains(result.Diagnostics, d => d.StartsWith("unverified: node status unanswered", StringComparison.Ordinal));
        Assert.Equal(3, NodeStatusRequests(net, asker.Address, silentAddress)); // UCAST_REQ_RETRY_COUNT, one exchange
        Assert.True(asker.Cache.TryGet(Fred, out _));
    }

    [Fact]
    public async Task TwoSilentClaims_AreAConflict_NeitherIsUsed()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var first = Claimant(net, out _, holdsInNodeStatus: null);
        using var second = Claimant(net, out _, holdsInNodeStatus: null);

        var result = await net.Run(asker.QueryAsync(Fred, Uncached));

        Assert.Equal(QueryOutcome.Conflict, result.Outcome);
        Assert.True(result.HasConflictingAnswers);
    }

    [Fact]
    public async Task TwoVerifiedAddresses_AreAConflict()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var first = Claimant(net, out var firstAddress, holdsInNodeStatus: true);
        using var second = Claimant(net, out var secondAddress, holdsInNodeStatus: true);

        var result = await net.Run(asker.QueryAsync(Fred, Uncached));

        Assert.Equal(QueryOutcome.Conflict, result.Outcome);
        Assert.Contains(result.Diagnostics, d => d.Contains("node status verified", StringComparison.Ordinal)
            && d.Contains(firstAddress.ToString(), StringComparison.Ordinal) && d.Contains(secondAddress.ToString(), StringComparison.Ordinal));
        Assert.False(asker.Cache.TryGet(Fred, out _));
    }

    [Fact]
    public async Task SameAddressClaimedByManyResponders_IsCheckedOnce()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var genuine = Claimant(net, out var genuineAddress, holdsInNodeStatus: true, answerFromQuery: 2);
        using var echo1 = Claimant(net, out _, holdsInNodeStatus: null, claim: genuineAddress);
        using var echo2 = Claimant(net, out _, holdsInNodeStatus: null, claim: genuineAddress);

        var result = await net.Run(asker.QueryAsync(Fred, Uncached));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal([genuineAddress], result.Addresses);
        Assert.Equal(1, NodeStatusRequests(net, asker.Address, genuineAddress));
    }

    [Fact]
    public async Task MultiHomedHolder_BothAddressesVerified_IsFound_NextToARefutedImpostor()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var impostor = Claimant(net, out var impostorAddress, holdsInNodeStatus: false);
        using var secondInterface = Claimant(net, out var secondAddress, holdsInNodeStatus: true, answerFromQuery: int.MaxValue);
        using var genuine = Claimant(net, out var firstAddress, holdsInNodeStatus: true, alsoClaim: secondAddress);

        var result = await net.Run(asker.QueryAsync(Fred, Uncached));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal(new[] { firstAddress, secondAddress }.OrderBy(a => a.ToString()), result.Addresses.OrderBy(a => a.ToString()));
        Assert.DoesNotContain(impostorAddress, result.Addresses);
    }

    [Fact]
    public async Task OptionOff_FirstWindowsAnswerIsUsedAsBefore_NoNodeStatus()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode(o => o.VerifyBroadcastAnswers = false);
        using var impostor = Claimant(net, out var impostorAddress, holdsInNodeStatus: false);
        using var genuine = Claimant(net, out _, holdsInNodeStatus: true, answerFromQuery: 3);

        var result = await net.Run(asker.QueryAsync(Fred, Uncached));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal([impostorAddress], result.Addresses);
        Assert.Equal(1, BroadcastQueries(net, asker.Address));
        Assert.Equal(0, NodeStatusRequests(net, asker.Address, impostorAddress));
    }

    [Fact]
    public async Task GroupAnswers_AreNotChecked()
    {
        await using var net = new NameServiceTestNetwork();
        var members = new[] { net.AddNode(), net.AddNode() };
        var asker = net.AddNode();
        var group = NetBiosName.Create("CHAT", 0x03);
        foreach (var member in members)
        {
            await net.Run(member.RegisterAsync(group, isGroup: true));
        }

        var result = await net.Run(asker.QueryAsync(group, Uncached));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal(2, result.Addresses.Count);
        Assert.DoesNotContain(Decoded(net), d => d.Packet.Kind == NameServicePacketKind.NodeStatusRequest);
    }

    /// <summary>
    /// A raw host that claims FRED (its own address, or <paramref name="claim"/>; and <paramref name="alsoClaim"/>, a
    /// multi-homed answer) in answer to broadcast queries, from the
    /// <paramref name="answerFromQuery"/>th one it hears on; its node status holds FRED (true), lacks it (false), or is
    /// never answered (null).
    /// </summary>
    private static ScriptedResponder Claimant(NameServiceTestNetwork net, out IPAddress address, bool? holdsInNodeStatus,
        int answerFromQuery = 1, IPAddress? claim = null, IPAddress? alsoClaim = null)
    {
        IDatagramTransport transport = net.AddRawHost(out var own);
        address = own;
        NbAddressEntry[] claimed = alsoClaim is null
            ? [new NbAddressEntry(NbFlags.None, claim ?? own)]
            : [new NbAddressEntry(NbFlags.None, claim ?? own), new NbAddressEntry(NbFlags.None, alsoClaim)];
        int queries = 0;
        return new ScriptedResponder(transport, (request, _) => request.Kind switch
        {
            NameServicePacketKind.NameQueryRequest when Interlocked.Increment(ref queries) >= answerFromQuery =>
                NameServicePacket.CreatePositiveQueryResponse(request.Header.TransactionId, request.Questions[0].Name, 300, claimed),
            NameServicePacketKind.NodeStatusRequest when holdsInNodeStatus is { } holds =>
                NameServicePacket.CreateNodeStatusResponse(request.Header.TransactionId, request.Questions[0].Name,
                    [new NodeStatusEntry(holds ? Fred : NetBiosName.Create("IMPOSTOR", 0x20), NodeStatusNameFlags.Active)],
                    NodeStatistics.Create(new byte[6])),
            _ => null,
        })
        { IgnoreBroadcasts = false };
    }

    private static List<(IPEndPoint Source, IPEndPoint Destination, NameServicePacket Packet)> Decoded(NameServiceTestNetwork net)
    {
        var decoded = new List<(IPEndPoint, IPEndPoint, NameServicePacket)>();
        foreach (var datagram in net.Network.Traffic)
        {
            if (NameServicePacket.TryDecode(datagram.Data.Span, out var packet, out _))
            {
                decoded.Add((datagram.Source, datagram.Destination, packet));
            }
        }

        return decoded;
    }

    private static int BroadcastQueries(NameServiceTestNetwork net, IPAddress from) =>
        Decoded(net).Count(d => d.Source.Address.Equals(from) && d.Packet.Kind == NameServicePacketKind.NameQueryRequest
            && (d.Packet.Header.Flags & NameServiceFlags.Broadcast) != 0);

    private static int NodeStatusRequests(NameServiceTestNetwork net, IPAddress from, IPAddress to) =>
        Decoded(net).Count(d => d.Source.Address.Equals(from) && d.Destination.Address.Equals(to)
            && d.Packet.Kind == NameServicePacketKind.NodeStatusRequest);
}
