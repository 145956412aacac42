using System.Net;
using NetBios.NameService;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>B-node behaviour (RFC 1001 §15.1.1, RFC 1002 §5.1.1) on an in-memory segment with a fake clock.</summary>
public sealed class BroadcastNodeTests
{
    private static readonly NetBiosName Fred = NetBiosName.Create("FRED", 0x20);

    [Fact]
    public async Task Register_Silence_RegistersAfterThreeBroadcastsAndSendsOverwriteDemand()
    {
        await using var net = new NameServiceTestNetwork();
        var node = net.AddNode();
        var start = net.Time.GetUtcNow();

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.True(net.Time.GetUtcNow() - start >= TimeSpan.FromMilliseconds(750));
        var sent = net.Network.Traffic.Select(d => Decode(d.Data.ToArray())).Where(p => p.Questions.Count > 0 && p.Questions[0].Name == Fred).ToList();
        Assert.Equal(3, sent.Count(p => p.Kind == NameServicePacketKind.NameRegistrationRequest));
        Assert.Single(sent, p => p.Kind == NameServicePacketKind.NameOverwriteRequest);
        Assert.All(sent, p => Assert.True((p.Header.Flags & NameServiceFlags.Broadcast) != 0));
        Assert.Equal(LocalNameState.Registered, node.Names.Find(Fred)!.State);
    }

    [Fact]
    public async Task Register_NameOwnedByAnotherNode_IsConflictWithOwner()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        var other = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));

        var result = await net.Run(other.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Conflict, result.Outcome);
        Assert.Equal(owner.Address, result.Owner);
        Assert.Equal(NameServiceRcode.ActiveError, result.Rcode);
        Assert.Null(other.Names.Find(Fred));
        Assert.Equal(1, owner.Statistics.Defences);
    }

    [Fact]
    public async Task Register_GroupNameHeldByOthers_IsAllowed_ButUniqueClaimIsRefused()
    {
        await using var net = new NameServiceTestNetwork();
        var a = net.AddNode();
        var b = net.AddNode();
        var c = net.AddNode();
        var group = NetBiosName.Create("WORKGROUP", 0x00);
        await net.Run(a.RegisterAsync(group, isGroup: true));

        var second = await net.Run(b.RegisterAsync(group, isGroup: true));
        var unique = await net.Run(c.RegisterAsync(group, isGroup: false));

        Assert.True(second.Succeeded);
        Assert.Equal(RegistrationOutcome.Conflict, unique.Outcome);
    }

    [Fact]
    public async Task Register_TwiceLocally_IsDuplicateWithoutTraffic()
    {
        await using var net = new NameServiceTestNetwork();
        var node = net.AddNode();
        await net.Run(node.RegisterAsync(Fred));
        int before = net.Network.Traffic.Count;

        var again = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Duplicate, again.Outcome);
        Assert.Equal(before, net.Network.Traffic.Count);
    }

    [Fact]
    public async Task Query_Broadcast_FindsOwner()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        var asker = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));

        var result = await net.Run(asker.QueryAsync(Fred));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        var answer = Assert.Single(result.Answers);
        Assert.Equal(owner.Address, answer.Address);
        Assert.Equal(ResolveSource.Broadcast, answer.Source);
        Assert.False(result.HasConflictingAnswers);
    }

    [Fact]
    public async Task Query_GroupName_CollectsEveryMember()
    {
        await using var net = new NameServiceTestNetwork();
        var members = new[] { net.AddNode(), net.AddNode(), net.AddNode() };
        var asker = net.AddNode();
        var group = NetBiosName.Create("CHAT", 0x03);
        foreach (var member in members)
        {
            await net.Run(member.RegisterAsync(group, isGroup: true));
        }

        var result = await net.Run(asker.QueryAsync(group));

        Assert.Equal(members.Select(m => m.Address).OrderBy(a => a.ToString()), result.Addresses.OrderBy(a => a.ToString()));
        Assert.All(result.Answers, a => Assert.True(a.IsGroup));
        Assert.False(result.HasConflictingAnswers);
    }

    [Fact]
    public async Task Query_TwoNodesClaimUniqueName_ReportsConflictingAnswers()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        using var liar1 = new ScriptedResponder(net.AddRawHost(out var liarAddress1), (request, _) =>
            request.Kind == NameServicePacketKind.NameQueryRequest
                ? NameServicePacket.CreatePositiveQueryResponse(request.Header.TransactionId, request.Questions[0].Name, 60, [new NbAddressEntry(NbFlags.None, IPAddress.Parse("10.1.0.201"))])
                : null)
        { IgnoreBroadcasts = false };
        using var liar2 = new ScriptedResponder(net.AddRawHost(out var liarAddress2), (request, _) =>
            request.Kind == NameServicePacketKind.NameQueryRequest
                ? NameServicePacket.CreatePositiveQueryResponse(request.Header.TransactionId, request.Questions[0].Name, 60, [new NbAddressEntry(NbFlags.None, IPAddress.Parse("10.1.0.202"))])
                : null)
        { IgnoreBroadcasts = false };

        var result = await net.Run(asker.QueryAsync(Fred));

        Assert.Equal(2, result.Answers.Count);
        Assert.True(result.HasConflictingAnswers);
        Assert.Contains(result.Diagnostics, d => d.Contains(liarAddress1.ToString(), StringComparison.Ordinal) && d.Contains(liarAddress2.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_DuplicateAnswers_AreKeptOnce()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        var asker = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        net.Network.DeliveryFilter = (d, _) => d.Source.Address.Equals(owner.Address) ? NetBios.Testing.DeliveryDecision.Duplicate : NetBios.Testing.DeliveryDecision.Deliver;

        var result = await net.Run(asker.QueryAsync(Fred, new NameQueryOptions { UseCache = false }));

        Assert.Single(result.Answers);
    }

    [Fact]
    public async Task Query_Nobody_TimesOutAfterRetriesAndIsNegativelyCached()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();

        var result = await net.Run(asker.QueryAsync(Fred));
        int sent = net.Network.Traffic.Count;
        var cached = await net.Run(asker.QueryAsync(Fred));

        Assert.Equal(QueryOutcome.Timeout, result.Outcome);
        Assert.Equal(3, sent);
        Assert.Equal(QueryOutcome.NotFound, cached.Outcome);
        Assert.Equal(sent, net.Network.Traffic.Count);
    }

    [Fact]
    public async Task Query_Answer_IsCachedUntilTtlExpires()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        var asker = net.AddNode(o => o.MaxCacheTtl = TimeSpan.FromMinutes(10));
        await net.Run(owner.RegisterAsync(Fred));

        await net.Run(asker.QueryAsync(Fred));
        int afterFirst = net.Network.Traffic.Count;
        var cached = await net.Run(asker.QueryAsync(Fred));
        Assert.Equal(ResolveSource.Cache, cached.Answers[0].Source);
        Assert.Equal(afterFirst, net.Network.Traffic.Count);

        net.Time.Advance(TimeSpan.FromMinutes(11));
        var fresh = await net.Run(asker.QueryAsync(Fred));
        Assert.Equal(ResolveSource.Broadcast, fresh.Answers[0].Source);
    }

    [Fact]
    public async Task Query_OwnName_IsAnsweredLocally()
    {
        await using var net = new NameServiceTestNetwork();
        var node = net.AddNode();
        await net.Run(node.RegisterAsync(Fred));
        int before = net.Network.Traffic.Count;

        var result = await net.Run(node.QueryAsync(Fred));

        Assert.Equal(ResolveSource.Local, Assert.Single(result.Answers).Source);
        Assert.Equal(before, net.Network.Traffic.Count);
    }

    [Fact]
    public async Task NodeStatus_ReturnsRealNameTableWithFlags()
    {
        await using var net = new NameServiceTestNetwork();
        var node = net.AddNode(o => o.UnitId = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
        var asker = net.AddNode();
        await net.Run(node.RegisterAsync(NetBiosName.Create("HOST", 0x00), permanent: true));
        await net.Run(node.RegisterAsync(NetBiosName.Create("HOST", 0x20)));
        await net.Run(node.RegisterAsync(NetBiosName.Create("WG", 0x00), isGroup: true));

        var status = await net.Run(asker.GetNodeStatusAsync(node.Address));

        Assert.Equal(QueryOutcome.Found, status.Outcome);
        Assert.Equal(["HOST<00>", "HOST<20>", "WG<00>"], status.Names.Select(n => n.Name.ToString()).Order());
        Assert.All(status.Names, n => Assert.True((n.Flags & NodeStatusNameFlags.Active) != 0));
        Assert.True(status.Names.Single(n => n.Name.NameText == "WG").IsGroup);
        Assert.True((status.Names.Single(n => n.Name.Suffix == 0x00 && !n.IsGroup).Flags & NodeStatusNameFlags.Permanent) != 0);
        Assert.Equal("020000000001", status.MacAddress!.ToString());
    }

    [Fact]
    public async Task NodeStatus_NoAnswer_TimesOut()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();

        var status = await net.Run(asker.GetNodeStatusAsync(IPAddress.Parse("10.1.0.99")));

        Assert.Equal(QueryOutcome.Timeout, status.Outcome);
    }

    [Fact]
    public async Task Release_ThenAnotherNodeCanRegister()
    {
        await using var net = new NameServiceTestNetwork();
        var first = net.AddNode();
        var second = net.AddNode();
        await net.Run(first.RegisterAsync(Fred));

        Assert.True(await net.Run(first.ReleaseAsync(Fred)));
        var result = await net.Run(second.RegisterAsync(Fred));

        Assert.True(result.Succeeded);
        Assert.Contains(net.Network.Traffic, d => Decode(d.Data.ToArray()).Kind == NameServicePacketKind.NameReleaseRequest);
    }

    [Fact]
    public async Task ForeignRelease_OfOurName_IsRefusedAndNameKept()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        var attacker = net.AddRawHost(out _);
        var release = NameServicePacket.CreateReleaseRequest(0x7777, Fred, NbFlags.None, owner.Address, broadcast: false);

        await attacker.SendToAsync(release.ToArray(), new IPEndPoint(owner.Address, 137));
        var response = await ScriptedResponder.ReceiveAsync(net, attacker);

        Assert.Equal(NameServicePacketKind.NegativeReleaseResponse, response.Kind);
        Assert.Equal(NameServiceRcode.ActiveError, response.Header.Rcode);
        Assert.Equal(LocalNameState.Registered, owner.Names.Find(Fred)!.State);
    }

    [Fact]
    public async Task UnicastRefreshOfOurName_FromAnySource_IsDefended()
    {
        // Samba nbt.register refresh_own: a unicast refresh of the server's name from the tester must get ACT_ERR.
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        var tester = net.AddRawHost(out var testerAddress);

        await tester.SendToAsync(NameServicePacket.CreateRefreshRequest(0x0101, Fred, 60, NbFlags.None, testerAddress, broadcast: false).ToArray(), new IPEndPoint(owner.Address, 137));
        var response = await ScriptedResponder.ReceiveAsync(net, tester);

        Assert.Equal(NameServicePacketKind.NegativeRegistrationResponse, response.Kind);
        Assert.Equal(NameServiceRcode.ActiveError, response.Header.Rcode);
        Assert.Equal(0x0101, response.Header.TransactionId);
    }

    [Fact]
    public async Task UnsolicitedConflictDemand_IsIgnored()
    {
        // MS00-047: a name conflict is accepted only in answer to our own registration.
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        var attacker = net.AddRawHost(out _);

        await attacker.SendToAsync(NameServicePacket.CreateConflictDemand(0x4242, Fred, NbFlags.None, IPAddress.Parse("10.1.0.66")).ToArray(), new IPEndPoint(owner.Address, 137));
        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));

        Assert.Equal(LocalNameState.Registered, owner.Names.Find(Fred)!.State);
        Assert.Equal(1, owner.Statistics.Unsolicited);
    }

    [Fact]
    public async Task SpoofedResponse_WrongTransactionOrName_DoesNotAnswerQuery()
    {
        await using var net = new NameServiceTestNetwork();
        var asker = net.AddNode();
        var spoofer = net.AddRawHost(out _);
        var query = asker.QueryAsync(Fred, new NameQueryOptions { UseCache = false }).AsTask();

        // Blind spoofing: every transaction ID but for another name, and the right name with a wrong ID.
        await spoofer.SendToAsync(NameServicePacket.CreatePositiveQueryResponse(1, NetBiosName.Create("OTHER", 0x20), 60, [new NbAddressEntry(NbFlags.None, IPAddress.Parse("6.6.6.6"))]).ToArray(), new IPEndPoint(asker.Address, 137));
        var result = await TestCommon.FakeClock.RunAsync(net.Time, query, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));

        Assert.Equal(QueryOutcome.Timeout, result.Outcome);
    }

    [Fact]
    public async Task MalformedPackets_DoNotStopTheNode()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        var asker = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        var attacker = net.AddRawHost(out _);
        byte[][] garbage = [[], [0xFF], new byte[12], [0, 1, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0], Enumerable.Repeat((byte)0xC0, 600).ToArray()];

        foreach (byte[] bytes in garbage)
        {
            await attacker.SendToAsync(bytes, new IPEndPoint(owner.Address, 137));
        }

        var result = await net.Run(asker.QueryAsync(Fred));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        // Response-shaped garbage (0xC0…) that no transaction waits for is dropped as unsolicited before it is decoded.
        Assert.True(owner.Statistics.Malformed + owner.Statistics.Unsolicited >= 4);
    }

    private static NameServicePacket Decode(byte[] bytes) =>
        NameServicePacket.TryDecode(bytes, out var packet, out var error) ? packet : throw new InvalidDataException(error.ToString());
}
