using System.Net;
using NetBios.NameService;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>P, M and H nodes against a scripted NBNS (RFC 1002 §5.1.2), every timer on the fake clock.</summary>
public sealed class NameServerNodeTests
{
    private static readonly NetBiosName Fred = NetBiosName.Create("FRED", 0x20);

    private static NameServicePacket Positive(NameServicePacket request, uint ttl) =>
        NameServicePacket.CreatePositiveRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, ttl, NbFlags.None, ((NbRecordData)request.Additional[0].Data).Entries[0].Address);

    [Fact]
    public async Task PNode_PositiveResponse_RegistersWithGrantedTtl()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) =>
            r.Kind == NameServicePacketKind.NameRegistrationRequest ? Positive(r, 21600) : null);
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(21600), result.Ttl);
        var request = Assert.Single(wins.Requests);
        Assert.False((request.Header.Flags & NameServiceFlags.Broadcast) != 0);
        Assert.True((request.Header.Flags & NameServiceFlags.RecursionDesired) != 0);
        Assert.DoesNotContain(net.Network.Traffic, d => d.Destination.Address.Equals(IPAddress.Parse("10.1.0.255")));
    }

    [Fact]
    public async Task PNode_ServerSilent_RetriesThenTimesOut()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (_, _) => null);
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        var start = net.Time.GetUtcNow();

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Timeout, result.Outcome);
        Assert.Equal(3, wins.Requests.Count);
        Assert.Single(wins.Requests.Select(r => r.Header.TransactionId).Distinct());
        Assert.True(net.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(4.5));
        Assert.Null(node.Names.Find(Fred));
    }

    [Fact]
    public async Task PNode_Wack_StopsRetransmissionsAndWaitsForTheRealAnswer()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _, reply) =>
        {
            if (r.Kind == NameServicePacketKind.NameRegistrationRequest)
            {
                reply(NameServicePacket.CreateWackResponse(r.Header.TransactionId, r.Questions[0].Name, 60, r.Header.FlagsWord), TimeSpan.Zero);
                reply(Positive(r, 21600), TimeSpan.FromSeconds(21));
            }
        })
        { Time = net.Time };
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        var start = net.Time.GetUtcNow();

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Single(wins.Requests);
        Assert.True(net.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(21));
    }

    [Fact]
    public async Task PNode_WackThenSilence_TimesOutAfterWackTtl()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) =>
            r.Kind == NameServicePacketKind.NameRegistrationRequest ? NameServicePacket.CreateWackResponse(r.Header.TransactionId, r.Questions[0].Name, 30, r.Header.FlagsWord) : null);
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        var start = net.Time.GetUtcNow();

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Timeout, result.Outcome);
        Assert.InRange((net.Time.GetUtcNow() - start).TotalSeconds, 30, 32);
    }

    [Theory]
    [InlineData(NameServiceRcode.ActiveError, RegistrationOutcome.Conflict)]
    [InlineData(NameServiceRcode.Refused, RegistrationOutcome.Refused)]
    [InlineData(NameServiceRcode.ServerFailure, RegistrationOutcome.Refused)]
    public async Task PNode_NegativeResponse_ReportsRcode(NameServiceRcode rcode, RegistrationOutcome expected)
    {
        await using var net = new NameServiceTestNetwork();
        var owner = IPAddress.Parse("10.1.0.77");
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) =>
            NameServicePacket.CreateNegativeRegistrationResponse(r.Header.TransactionId, r.Questions[0].Name, rcode, NbFlags.None, owner));
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(rcode, result.Rcode);
        Assert.Equal(owner, result.Owner);
    }

    [Fact]
    public async Task PNode_ResponseFromWrongSource_IsIgnored()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (_, _) => null);
        var spoofer = net.AddRawHost(out _);
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        var registration = node.RegisterAsync(Fred).AsTask();
        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(50));
        var request = wins.Requests[0];

        await spoofer.SendToAsync(NameServicePacket.CreateNegativeRegistrationResponse(request.Header.TransactionId, Fred, NameServiceRcode.ActiveError, NbFlags.None, IPAddress.Parse("6.6.6.6")).ToArray(), new IPEndPoint(node.Address, 137));
        var result = await TestCommon.FakeClock.RunAsync(net.Time, registration, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));

        Assert.Equal(RegistrationOutcome.Timeout, result.Outcome);
        Assert.True(node.Statistics.Unsolicited >= 1);
    }

    [Fact]
    public async Task PNode_EndNodeChallenge_OwnerSilent_OverwritesAndRegisters()
    {
        await using var net = new NameServiceTestNetwork();
        var silentOwner = IPAddress.Parse("10.1.0.200");
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) =>
            (r.Header.Flags & NameServiceFlags.RecursionDesired) != 0
                ? NameServicePacket.CreateEndNodeChallengeResponse(r.Header.TransactionId, r.Questions[0].Name, 60, NbFlags.None, silentOwner)
                : Positive(r, 3600));
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Contains(net.Network.Traffic, d => d.Destination.Address.Equals(silentOwner));
        Assert.Contains(wins.Requests, r => r.Kind == NameServicePacketKind.NameOverwriteRequest);
    }

    [Fact]
    public async Task PNode_EndNodeChallenge_OwnerAnswers_IsConflict()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) =>
            NameServicePacket.CreateEndNodeChallengeResponse(r.Header.TransactionId, r.Questions[0].Name, 60, NbFlags.None, owner.Address));
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Conflict, result.Outcome);
        Assert.Equal(owner.Address, result.Owner);
    }

    [Fact]
    public async Task PNode_Refresh_IsSentAtHalfTtlButNotBeforeFiveMinutes()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) => Positive(r, 120));
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        await net.Run(node.RegisterAsync(Fred));

        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(wins.Requests, r => r.Kind == NameServicePacketKind.NameRefreshRequest);

        // Refreshes are counted by transaction: on a loaded machine the fake clock may pass a refresh's 1.5 s window
        // before the answer is in, and the retransmission (same TRN_ID) is not a second refresh.
        static bool IsRefresh(NameServicePacket r) => r.Kind == NameServicePacketKind.NameRefreshRequest;
        async Task<ushort[]> RefreshTransactionsAsync(int atLeast)
        {
            ushort[] ids = [];
            for (int i = 0; i < 2000 && ids.Length < atLeast; i++)
            {
                ids = [.. (await wins.WaitForRequestsAsync(IsRefresh, 1)).Where(IsRefresh).Select(r => r.Header.TransactionId).Distinct()];
                if (ids.Length < atLeast)
                {
                    await Task.Delay(5, TestContext.Current.CancellationToken);
                }
            }

            return ids;
        }

        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromMinutes(1.5), TimeSpan.FromSeconds(10));
        Assert.Single(await RefreshTransactionsAsync(1));
        Assert.All(wins.Requests.Where(IsRefresh), r => Assert.Equal(NameServiceOpcode.Refresh, r.Header.Opcode));

        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromMinutes(5.5), TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await RefreshTransactionsAsync(2)).Length);
        Assert.Equal(LocalNameState.Registered, node.Names.Find(Fred)!.State);
    }

    [Fact]
    public async Task PNode_RegisteredName_KnowsWhenItsTtlRunsOutAndWhenItRefreshes_ForNbtNames()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) => Positive(r, 21600));
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        await net.Run(node.RegisterAsync(Fred));
        var registered = net.Time.GetUtcNow();

        var entry = node.Names.Find(Fred)!;
        Assert.InRange(entry.ExpiresAt!.Value - registered, TimeSpan.FromSeconds(21590), TimeSpan.FromSeconds(21600));
        Assert.InRange(entry.RefreshDueAt!.Value - registered, TimeSpan.FromSeconds(10790), TimeSpan.FromSeconds(10800));

        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromHours(1), TimeSpan.FromSeconds(60));
        Assert.InRange(entry.ExpiresAt!.Value - registered, TimeSpan.FromSeconds(21590), TimeSpan.FromSeconds(21600));
    }

    [Fact]
    public async Task PNode_RefreshRefused_PutsNameInConflictAndStopsAnsweringIt()
    {
        await using var net = new NameServiceTestNetwork();
        // The server holds the name for 10.1.0.99 and says so when asked, which confirms its refusal.
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) => r.Kind switch
        {
            NameServicePacketKind.NameRefreshRequest =>
                NameServicePacket.CreateNegativeRegistrationResponse(r.Header.TransactionId, Fred, NameServiceRcode.ActiveError, NbFlags.None, IPAddress.Parse("10.1.0.99")),
            NameServicePacketKind.NameQueryRequest =>
                NameServicePacket.CreatePositiveQueryResponse(r.Header.TransactionId, Fred, 600, [new NbAddressEntry(NbFlags.None, IPAddress.Parse("10.1.0.99"))]),
            _ => Positive(r, 600),
        });
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        var asker = net.AddNode();
        await net.Run(node.RegisterAsync(Fred));

        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(10));

        Assert.Equal(LocalNameState.Conflict, node.Names.Find(Fred)!.State);
        var query = await net.Run(asker.QueryAsync(Fred, new NameQueryOptions { Target = new IPEndPoint(node.Address, 137), RecursionDesired = false }));
        Assert.Equal(QueryOutcome.NotFound, query.Outcome);
    }

    [Fact]
    public async Task PNode_RefreshRefusalTheServerDoesNotConfirm_IsSentAgainAndTheNameKept()
    {
        // A spoofed ACT_ERR "from the server" (issue 17, item 3): asked, the server names no other owner, so the
        // refresh is sent again, and the server's real answer keeps the name.
        // Refreshes are counted by transaction: under load a retransmission of the first one (same TRN_ID) must get
        // the same spoofed answer, not count as the second refresh.
        await using var net = new NameServiceTestNetwork();
        var refreshes = new List<ushort>();
        bool IsFirstRefresh(NameServicePacket r)
        {
            lock (refreshes)
            {
                if (!refreshes.Contains(r.Header.TransactionId))
                {
                    refreshes.Add(r.Header.TransactionId);
                }

                return refreshes[0] == r.Header.TransactionId;
            }
        }

        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) => r.Kind switch
        {
            NameServicePacketKind.NameRefreshRequest when IsFirstRefresh(r) =>
                NameServicePacket.CreateNegativeRegistrationResponse(r.Header.TransactionId, Fred, NameServiceRcode.ActiveError, NbFlags.None, IPAddress.Parse("10.1.0.99")),
            NameServicePacketKind.NameQueryRequest =>
                NameServicePacket.CreatePositiveQueryResponse(r.Header.TransactionId, Fred, 600, [new NbAddressEntry(NbFlags.None, IPAddress.Parse("10.1.0.2"))]),
            _ => Positive(r, 600),
        });
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        Assert.Equal(IPAddress.Parse("10.1.0.2"), node.Address);
        await net.Run(node.RegisterAsync(Fred));

        await TestCommon.FakeClock.AdvanceAsync(net.Time, TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(1));

        Assert.Equal(LocalNameState.Registered, node.Names.Find(Fred)!.State);
        lock (refreshes)
        {
            Assert.Equal(2, refreshes.Count);
        }

        Assert.Equal(1, node.Statistics.UnconfirmedClaims);
    }

    [Fact]
    public async Task PNode_Dispose_ReleasesWithTheServer()
    {
        var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) =>
            r.Kind == NameServicePacketKind.NameReleaseRequest
                ? NameServicePacket.CreateReleaseResponse(r.Header.TransactionId, Fred, NbFlags.None, IPAddress.Parse("10.1.0.3"), NameServiceRcode.Ok)
                : Positive(r, 600));
        var node = net.AddNode(o => { o.NodeType = NodeType.P; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });
        await net.Run(node.RegisterAsync(Fred));

        await net.DisposeAsync();

        var release = Assert.Single(wins.Requests, r => r.Kind == NameServicePacketKind.NameReleaseRequest);
        Assert.Equal(Fred, release.Questions[0].Name);
    }

    [Fact]
    public async Task HNode_ServerSilent_FallsBackToBroadcast()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (_, _) => null);
        var node = net.AddNode(o => { o.NodeType = NodeType.H; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal(3, wins.Requests.Count);
        Assert.Contains(net.Network.Traffic, d => d.Destination.Address.Equals(IPAddress.Parse("10.1.0.255")));
    }

    [Fact]
    public async Task MNode_BroadcastConflict_NeverAsksTheServer()
    {
        await using var net = new NameServiceTestNetwork();
        var owner = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) => Positive(r, 600));
        var node = net.AddNode(o => { o.NodeType = NodeType.M; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });

        var result = await net.Run(node.RegisterAsync(Fred));

        Assert.Equal(RegistrationOutcome.Conflict, result.Outcome);
        Assert.DoesNotContain(wins.Requests, r => r.Kind == NameServicePacketKind.NameRegistrationRequest);
    }

    [Fact]
    public async Task HNode_Query_AsksServerFirst_AndFollowsRedirect()
    {
        await using var net = new NameServiceTestNetwork();
        var answer = IPAddress.Parse("10.1.0.123");
        using var second = new ScriptedResponder(net.AddRawHost(out var secondAddress), (r, _) =>
            NameServicePacket.CreatePositiveQueryResponse(r.Header.TransactionId, r.Questions[0].Name, 600, [new NbAddressEntry(NbFlags.None, answer)]));
        using var first = new ScriptedResponder(net.AddRawHost(out var firstAddress), (r, _) =>
            NameServicePacket.CreateRedirectResponse(r.Header.TransactionId, r.Questions[0].Name, NetBiosName.Create("WINS2", 0x20), secondAddress, 60));
        var node = net.AddNode(o => { o.NodeType = NodeType.H; o.NameServers.Add(new IPEndPoint(firstAddress, 137)); });

        var result = await net.Run(node.QueryAsync(Fred));

        Assert.Equal(answer, Assert.Single(result.Answers).Address);
        Assert.Equal(ResolveSource.NameServer, result.Answers[0].Source);
        Assert.Contains(result.Diagnostics, d => d.Contains("redirected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HNode_Query_NegativeServerAnswer_ThenBroadcastFinds()
    {
        await using var net = new NameServiceTestNetwork();
        using var wins = new ScriptedResponder(net.AddRawHost(out var winsAddress), (r, _) =>
            NameServicePacket.CreateNegativeQueryResponse(r.Header.TransactionId, r.Questions[0].Name, NameServiceRcode.NameError));
        var owner = net.AddNode();
        await net.Run(owner.RegisterAsync(Fred));
        var node = net.AddNode(o => { o.NodeType = NodeType.H; o.NameServers.Add(new IPEndPoint(winsAddress, 137)); });

        var result = await net.Run(node.QueryAsync(Fred));

        Assert.Equal(QueryOutcome.Found, result.Outcome);
        Assert.Equal(ResolveSource.Broadcast, result.Answers[0].Source);
    }

    [Fact]
    public async Task Query_Lmhosts_AnswersWithoutTraffic()
    {
        await using var net = new NameServiceTestNetwork();
        var lmhosts = LmhostsFile.Parse("10.9.9.9  FILESRV  #PRE\n10.9.9.10 \"PRINTER        \\0x20\"\n");
        var node = net.AddNode(o => o.Lmhosts = lmhosts);

        var any = await net.Run(node.QueryAsync(NetBiosName.Create("FILESRV", 0x20)));
        var exact = await net.Run(node.QueryAsync(NetBiosName.Create("PRINTER", 0x20)));
        var wrongSuffix = await net.Run(node.QueryAsync(NetBiosName.Create("PRINTER", 0x00)));

        Assert.Equal(IPAddress.Parse("10.9.9.9"), Assert.Single(any.Answers).Address);
        Assert.Equal(IPAddress.Parse("10.9.9.10"), Assert.Single(exact.Answers).Address);
        Assert.NotEqual(QueryOutcome.Found, wrongSuffix.Outcome);
        Assert.All(net.Network.Traffic, d => Assert.False(NameServicePacket.TryDecode(d.Data.ToArray(), out var p, out _) && p.Questions[0].Name.NameText is "FILESRV"));
    }

    [Fact]
    public void Options_PNodeWithoutServer_IsRejected()
    {
        var options = new NameServiceOptions { NodeType = NodeType.P };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("name server", ex.Message, StringComparison.Ordinal);
    }
}
