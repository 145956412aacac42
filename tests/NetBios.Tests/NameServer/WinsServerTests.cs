using System.Net;
using NetBios.NameServer;
using NetBios.Tests.TestCommon;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary>
/// The WINS server's rules over real UDP sockets on loopback (docs/WINS.md has the table with the RFC 1002 / MS-NBTE /
/// Samba4 references), one test per rule; timers on the fake clock.
/// </summary>
public sealed class WinsServerTests
{
    private static readonly NetBiosName Fred = NetBiosName.Create("FRED", 0x20);
    private static readonly NetBiosName Workgroup = NetBiosName.Create("WORKGROUP", 0x00);
    private static readonly NetBiosName DomainControllers = NetBiosName.Create("DOMAIN", 0x1C);

    private static void ShortTtls(WinsServerOptions o)
    {
        o.MinimumTtl = TimeSpan.FromMinutes(1);
        o.MaximumTtl = TimeSpan.FromHours(1);
    }

    [Fact]
    public async Task UniqueName_IsRegisteredAndAnsweredWithItsAddress()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var client = bed.Client(2);

        var answer = await client.RegisterAsync(Fred);
        var query = await bed.Client(3).QueryAsync(Fred);

        WinsAssert.Positive(answer);
        Assert.Equal(client.Address, ((NbRecordData)answer.Answers[0].Data).Entries[0].Address);
        WinsAssert.Positive(query, NameServicePacketKind.PositiveQueryResponse);
        Assert.Equal([client.Address], WinsAssert.Addresses(query));
        var record = await bed.Store.FindAsync(Fred, TestContext.Current.CancellationToken);
        Assert.Equal(WinsRecordType.Unique, record!.Type);
        Assert.Equal(NodeType.H, record.NodeType);
        Assert.Equal(1, bed.Server.Statistics.Registrations);
    }

    [Fact]
    public async Task Ttl_IsClampedToTheConfiguredMinimumAndMaximum()
    {
        await using var bed = await WinsTestBed.StartAsync(ShortTtls);
        var client = bed.Client(2);

        var tooShort = await client.RegisterAsync(Fred, ttl: 5);
        var tooLong = await client.RegisterAsync(NetBiosName.Create("BARNEY", 0x20), ttl: 300_000);

        Assert.Equal(60u, tooShort.Answers[0].Ttl);
        Assert.Equal(3600u, tooLong.Answers[0].Ttl);
    }

    [Fact]
    public async Task DefaultTtls_AreThoseOfWindows()
    {
        var options = new WinsServerOptions();

        Assert.Equal(TimeSpan.FromDays(6), options.MaximumTtl);
        Assert.Equal(TimeSpan.FromDays(4), options.ExtinctionInterval);
        Assert.Equal(TimeSpan.FromDays(6), options.ExtinctionTimeout);
        Assert.Equal(500, options.BurstThreshold);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task NormalGroup_IsSharedAndAnswersTheBroadcastAddress()
    {
        await using var bed = await WinsTestBed.StartAsync();

        var first = await bed.Client(2).RegisterAsync(Workgroup, group: true);
        var second = await bed.Client(3).RegisterAsync(Workgroup, group: true);
        var query = await bed.Client(4).QueryAsync(Workgroup);

        WinsAssert.Positive(first);
        WinsAssert.Positive(second);
        Assert.Equal([IPAddress.Broadcast], WinsAssert.Addresses(query));
        Assert.True(((NbRecordData)query.Answers[0].Data).Entries[0].IsGroup);
    }

    [Fact]
    public async Task UniqueClaimOnAGroup_IsRefusedWithActErr()
    {
        await using var bed = await WinsTestBed.StartAsync();
        await bed.Client(2).RegisterAsync(Workgroup, group: true);

        var answer = await bed.Client(3).RegisterAsync(Workgroup);

        WinsAssert.Negative(answer, NameServiceRcode.ActiveError);
    }

    [Fact]
    public async Task SpecialGroup_KeepsUpTo25Members_TheOldestMakesRoom()
    {
        await using var bed = await WinsTestBed.StartAsync(ShortTtls);
        for (int i = 0; i < 26; i++)
        {
            var answer = await bed.Client(10 + i).RegisterAsync(DomainControllers, group: true);
            WinsAssert.Positive(answer);
            bed.Time.Advance(TimeSpan.FromSeconds(1)); // each member a little younger than the last
        }

        var query = await bed.Client(2).QueryAsync(DomainControllers);

        var members = WinsAssert.Addresses(query);
        Assert.Equal(25, members.Length);
        Assert.DoesNotContain(IPAddress.Parse("127.0.0.10"), members);
        Assert.Contains(IPAddress.Parse("127.0.0.35"), members);
        Assert.True(((NbRecordData)query.Answers[0].Data).Entries[0].IsGroup);
    }

    [Fact]
    public async Task SpecialGroup_MembersAreRefreshedAndExpireOneByOne()
    {
        await using var bed = await WinsTestBed.StartAsync(ShortTtls);
        var a = bed.Client(2);
        var b = bed.Client(3);
        await a.RegisterAsync(DomainControllers, ttl: 60, group: true);
        await b.RegisterAsync(DomainControllers, ttl: 60, group: true);
        bed.Time.Advance(TimeSpan.FromSeconds(40));
        await b.RefreshAsync(DomainControllers, ttl: 60, group: true);
        bed.Time.Advance(TimeSpan.FromSeconds(30));

        var query = await bed.Client(4).QueryAsync(DomainControllers);

        Assert.Equal([b.Address], WinsAssert.Addresses(query));
    }

    [Fact]
    public async Task DomainMasterName1B_IsUnique_GroupClaimRefused()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var pdc = NetBiosName.Create("DOMAIN", 0x1B);

        var unique = await bed.Client(2).RegisterAsync(pdc);
        var group = await bed.Client(3).RegisterAsync(NetBiosName.Create("OTHER", 0x1B), group: true);

        WinsAssert.Positive(unique);
        WinsAssert.Negative(group, NameServiceRcode.Refused);
    }

    [Fact]
    public async Task MultiHomedRegistration_AddsTheAddressTheOwnerConfirms()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var first = bed.Client(2, challengeable: true);
        var second = bed.Client(3);
        WinsAssert.Positive(await first.MultiHomedAsync(Fred));

        var pending = second.MultiHomedAsync(Fred);
        await first.ExpectChallengeAsync(answer: true, first.Address, second.Address);
        var answer = await pending;
        var query = await bed.Client(4).QueryAsync(Fred);

        WinsAssert.Positive(answer);
        Assert.Equal([first.Address, second.Address], WinsAssert.Addresses(query));
        Assert.Equal(WinsRecordType.MultiHomed, (await bed.Store.FindAsync(Fred, TestContext.Current.CancellationToken))!.Type);
    }

    [Fact]
    public async Task Conflict_OwnerStillAnswers_RequesterGetsWackThenActErr()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var owner = bed.Client(2, challengeable: true);
        var requester = bed.Client(3);
        await owner.RegisterAsync(Fred);

        await requester.SendAsync(NameServicePacket.CreateRegistrationRequest(requester.NextId(), Fred, 300_000, NbFlags.None, requester.Address, false, true));
        var (wack, _) = await requester.ReceiveAsync();
        await owner.ExpectChallengeAsync(answer: true);
        var (final, _) = await requester.ReceiveAsync();

        Assert.Equal(NameServicePacketKind.WaitForAcknowledgementResponse, wack.Kind);
        WinsAssert.Negative(final, NameServiceRcode.ActiveError);
        Assert.Equal([owner.Address], WinsAssert.Addresses(await bed.Client(4).QueryAsync(Fred)));
        Assert.Equal(1, bed.Server.Statistics.ChallengesKept);
    }

    [Fact]
    public async Task Conflict_OwnerSilent_NameIsHandedOverAfterTheRetries()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var owner = bed.Client(2, challengeable: true);
        var requester = bed.Client(3);
        await owner.RegisterAsync(Fred);

        var answer = await FakeClock.RunAsync(bed.Time, requester.RegisterAsync(Fred), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
        var challenges = 0;
        while (challenges < 3)
        {
            // The owner's socket holds the challenge queries that went unanswered.
            await owner.ExpectChallengeAsync(answer: false);
            challenges++;
        }

        WinsAssert.Positive(answer);
        Assert.Equal(3, challenges);
        Assert.Equal([requester.Address], WinsAssert.Addresses(await bed.Client(4).QueryAsync(Fred)));
        Assert.Equal(1, bed.Server.Statistics.ChallengesHandedOver);
    }

    [Fact]
    public async Task ResendWhileWackIsPending_IsAbsorbed()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var owner = bed.Client(2, challengeable: true);
        var requester = bed.Client(3);
        await owner.RegisterAsync(Fred);
        var request = NameServicePacket.CreateRegistrationRequest(requester.NextId(), Fred, 300_000, NbFlags.None, requester.Address, false, true);

        await requester.SendAsync(request);
        var (wack, _) = await requester.ReceiveAsync();
        await requester.SendAsync(request);
        await requester.SendAsync(request);
        var query = await bed.Client(4).QueryAsync(Fred); // the resends were handled before this query
        await owner.ExpectChallengeAsync(answer: true);
        var (final, _) = await requester.ReceiveAsync();

        Assert.Equal(NameServicePacketKind.WaitForAcknowledgementResponse, wack.Kind);
        WinsAssert.Negative(final, NameServiceRcode.ActiveError);
        Assert.Equal(2, bed.Server.Statistics.ResendsAbsorbed);
        Assert.Equal(1, bed.Server.Statistics.Challenges);
        Assert.Equal([owner.Address], WinsAssert.Addresses(query));
    }

    [Theory]
    [InlineData(NameServiceOpcode.Refresh)]
    [InlineData(NameServiceOpcode.Refresh9)]
    public async Task Refresh_ExtendsTheTtl(NameServiceOpcode opcode)
    {
        await using var bed = await WinsTestBed.StartAsync(ShortTtls);
        var client = bed.Client(2);
        await client.RegisterAsync(Fred, ttl: 60);
        bed.Time.Advance(TimeSpan.FromSeconds(50));
        var refresh = NameServicePacket.CreateRefreshRequest(client.NextId(), Fred, 60, NbFlags.None, client.Address, broadcast: false);
        refresh = new NameServicePacket(refresh.Header with { Opcode = opcode }, refresh.Questions, refresh.Answers, refresh.Authority, refresh.Additional);

        var answer = await client.RequestAsync(refresh);
        bed.Time.Advance(TimeSpan.FromSeconds(50));
        var query = await bed.Client(3).QueryAsync(Fred);

        WinsAssert.Positive(answer);
        WinsAssert.Positive(query, NameServicePacketKind.PositiveQueryResponse);
        Assert.InRange(query.Answers[0].Ttl, 1u, 10u);
        Assert.Equal(1, bed.Server.Statistics.Refreshes);
    }

    [Fact]
    public async Task RefreshFromANonHolder_IsRefused()
    {
        await using var bed = await WinsTestBed.StartAsync();
        await bed.Client(2).RegisterAsync(Fred);

        var answer = await bed.Client(3).RefreshAsync(Fred);

        WinsAssert.Negative(answer, NameServiceRcode.ActiveError);
    }

    [Fact]
    public async Task ExpiredName_AnswersNamErr_AndCanBeTakenWithoutAChallenge()
    {
        await using var bed = await WinsTestBed.StartAsync(ShortTtls);
        await bed.Client(2, challengeable: true).RegisterAsync(Fred, ttl: 60);
        bed.Time.Advance(TimeSpan.FromSeconds(61));

        var query = await bed.Client(4).QueryAsync(Fred);
        var taken = await bed.Client(3).RegisterAsync(Fred);

        WinsAssert.Negative(query, NameServiceRcode.NameError);
        WinsAssert.Positive(taken);
        Assert.Equal(0, bed.Server.Statistics.Challenges);
    }

    [Fact]
    public async Task Release_ByTheHolder_IsPositiveAndReleasesTheName()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var client = bed.Client(2);
        await client.RegisterAsync(Fred);

        var answer = await client.ReleaseAsync(Fred);
        var query = await bed.Client(3).QueryAsync(Fred);

        WinsAssert.Positive(answer, NameServicePacketKind.PositiveReleaseResponse);
        WinsAssert.Negative(query, NameServiceRcode.NameError);
        Assert.Equal(WinsRecordState.Released, (await bed.Store.FindAsync(Fred, TestContext.Current.CancellationToken))!.State);
    }

    [Fact]
    public async Task Release_ByAnyoneElse_IsAnsweredPositively_ButChangesNothing()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var owner = bed.Client(2);
        await owner.RegisterAsync(Fred);

        var answer = await bed.Client(66).ReleaseAsync(Fred);
        var query = await bed.Client(3).QueryAsync(Fred);

        WinsAssert.Positive(answer, NameServicePacketKind.PositiveReleaseResponse);
        Assert.Equal([owner.Address], WinsAssert.Addresses(query));
        Assert.Equal(1, bed.Server.Statistics.ReleasesIgnored);
    }

    [Fact]
    public async Task Release_ByOneMember_LeavesTheOtherMembersOfASpecialGroup()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var a = bed.Client(2);
        var b = bed.Client(3);
        await a.RegisterAsync(DomainControllers, group: true);
        await b.RegisterAsync(DomainControllers, group: true);

        WinsAssert.Positive(await a.ReleaseAsync(DomainControllers, group: true), NameServicePacketKind.PositiveReleaseResponse);
        var query = await bed.Client(4).QueryAsync(DomainControllers);

        Assert.Equal([b.Address], WinsAssert.Addresses(query));
    }

    [Fact]
    public async Task Query_1D_IsNeverAnswered_NamErr()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var master = NetBiosName.Create("WORKGROUP", 0x1D);
        WinsAssert.Positive(await bed.Client(2).RegisterAsync(master));

        var query = await bed.Client(3).QueryAsync(master);

        WinsAssert.Negative(query, NameServiceRcode.NameError);
    }

    [Fact]
    public async Task Names_AreCaseSensitive()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var lower = NetBiosName.Create("fred", 0x20);
        await bed.Client(2).RegisterAsync(Fred);

        var query = await bed.Client(3).QueryAsync(lower);
        var register = await bed.Client(4).RegisterAsync(lower);

        WinsAssert.Negative(query, NameServiceRcode.NameError);
        WinsAssert.Positive(register);
    }

    [Fact]
    public async Task Scope_UpToTheRfcLimit_IsServed_PastItTheServerDropsThePacketAndRunsOn()
    {
        await using var bed = await WinsTestBed.StartAsync();
        string scope = string.Join('.', Enumerable.Repeat(new string('s', 63), 3)) + "." + new string('t', NetBiosName.MaxScopeLength - (3 * 64) - 1);
        Assert.Null(NetBiosName.ValidateScope(scope));
        var scoped = NetBiosName.Create("FRED", 0x20, scope);
        var client = bed.Client(2);

        var answer = await client.RegisterAsync(scoped);
        var query = await bed.Client(3).QueryAsync(scoped);
        long malformed = bed.Endpoint.Statistics.Malformed;
        byte[] tooLong = new byte[NameServiceHeader.Length + 300];
        new NameServiceHeader(0x4242, false, NameServiceOpcode.Query, NameServiceFlags.RecursionDesired, NameServiceRcode.Ok, QuestionCount: 1).TryWrite(tooLong);
        tooLong[NameServiceHeader.Length] = 32;
        tooLong.AsSpan(NameServiceHeader.Length + 1, 32).Fill((byte)'E');
        for (int offset = NameServiceHeader.Length + 33; offset + 64 < tooLong.Length; offset += 64)
        {
            tooLong[offset] = 63;
            tooLong.AsSpan(offset + 1, 63).Fill((byte)'x');
        }

        await client.SendRawAsync(tooLong);
        var after = await bed.Client(4).QueryAsync(scoped);

        WinsAssert.Positive(answer);
        WinsAssert.Positive(query, NameServicePacketKind.PositiveQueryResponse);
        WinsAssert.Positive(after, NameServicePacketKind.PositiveQueryResponse);
        Assert.Equal(malformed + 1, bed.Endpoint.Statistics.Malformed);
    }

    [Fact]
    public async Task BroadcastRequests_AreLeftToTheNodes()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var client = bed.Client(2);
        await client.SendAsync(NameServicePacket.CreateRegistrationRequest(client.NextId(), Fred, 300_000, NbFlags.None, client.Address, broadcast: true, recursionDesired: true));

        var query = await bed.Client(3).QueryAsync(Fred); // handled after the broadcast: one socket, one loop

        WinsAssert.Negative(query, NameServiceRcode.NameError);
        Assert.Null(await bed.Store.FindAsync(Fred, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Scavenger_MovesRecordsActiveReleasedTombstoneDeleted()
    {
        await using var bed = await WinsTestBed.StartAsync(o =>
        {
            ShortTtls(o);
            o.ExtinctionInterval = TimeSpan.FromMinutes(10);
            o.ExtinctionTimeout = TimeSpan.FromMinutes(20);
        });
        await bed.Client(2).RegisterAsync(Fred, ttl: 60);
        var states = new List<WinsRecordState?>();
        var ct = TestContext.Current.CancellationToken;

        foreach (var step in new[] { TimeSpan.FromSeconds(61), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20) })
        {
            bed.Time.Advance(step);
            await bed.Server.ScavengeAsync(ct);
            states.Add((await bed.Store.FindAsync(Fred, ct))?.State);
        }

        Assert.Equal([WinsRecordState.Released, WinsRecordState.Tombstone, null], states);
        Assert.Equal(3, bed.Server.Statistics.Scavenged);
    }

    [Fact]
    public async Task AdministratorDelete_OnlyAtTheVersionRead_ThenTheNameIsUnknownOnTheWire()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        await bed.Client(2).RegisterAsync(Fred);
        var record = (await bed.Store.FindAsync(Fred, ct))!;

        var stale = await bed.Server.DeleteAsync(Fred, record.Version + 1, ct);
        Assert.Equal(new WinsWriteResult(false, record), stale);
        WinsAssert.Positive(await bed.Client(3).QueryAsync(Fred), NameServicePacketKind.PositiveQueryResponse);

        Assert.Equal(new WinsWriteResult(true, null), await bed.Server.DeleteAsync(Fred, record.Version, ct));
        Assert.Null(await bed.Store.FindAsync(Fred, ct));
        WinsAssert.Negative(await bed.Client(3).QueryAsync(Fred), NameServiceRcode.NameError);
        Assert.Equal(new WinsWriteResult(false, null), await bed.Server.DeleteAsync(Fred, record.Version, ct)); // already gone
    }

    [Fact]
    public async Task Scavenger_RunsOnTheTimeProvider()
    {
        await using var bed = await WinsTestBed.StartAsync(o =>
        {
            ShortTtls(o);
            o.ScavengeInterval = TimeSpan.FromMinutes(5);
        });
        await bed.Client(2).RegisterAsync(Fred, ttl: 60);

        for (int i = 0; i < 200 && bed.Server.Statistics.Scavenged == 0; i++)
        {
            await FakeClock.AdvanceAsync(bed.Time, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        }

        Assert.Equal(WinsRecordState.Released, (await bed.Store.FindAsync(Fred, TestContext.Current.CancellationToken))!.State);
    }

    [Fact]
    public async Task Burst_PastTheThreshold_RegistrationsGetAnImmediateShortTtl()
    {
        await using var bed = await WinsTestBed.StartAsync(o =>
        {
            o.BurstThreshold = 0;
            o.BurstStep = 2;
        });
        var client = bed.Client(2);

        var ttls = new List<uint>();
        for (int i = 0; i < 5; i++)
        {
            var answer = await client.RegisterAsync(NetBiosName.Create("BURST" + i, 0x20));
            WinsAssert.Positive(answer);
            ttls.Add(answer.Answers[0].Ttl);
        }

        Assert.Equal([300u, 300u, 600u, 600u, 900u], ttls);
        Assert.Equal(5, bed.Server.Statistics.BurstAnswers);
    }

    [Fact]
    public async Task Registration_IsAnsweredOnlyAfterTheStoreWriteCompleted()
    {
        var store = new GatedWinsStore();
        await using var bed = await WinsTestBed.StartAsync(store: store);
        var client = bed.Client(2);

        var pending = client.RegisterAsync(Fred);
        await store.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var query = await bed.Client(3).QueryAsync(Fred); // the receive loop is not blocked by the slow write
        Assert.False(pending.IsCompleted);
        store.Release.SetResult();
        var answer = await pending;

        WinsAssert.Negative(query, NameServiceRcode.NameError);
        WinsAssert.Positive(answer);
    }

    [Fact]
    public async Task VersionConflict_AnotherServerWroteFirst_TheServerDecidesAgain()
    {
        var store = new RacingWinsStore();
        await using var bed = await WinsTestBed.StartAsync(store: store);
        store.Competitor = new WinsRecord
        {
            Name = Fred,
            Type = WinsRecordType.Group,
            State = WinsRecordState.Active,
            NodeType = NodeType.H,
            Addresses = [],
            Expires = bed.Time.GetUtcNow().AddDays(1),
            Owner = IPAddress.Parse("10.9.9.9"),
        };

        var answer = await bed.Client(2).RegisterAsync(Fred);

        WinsAssert.Negative(answer, NameServiceRcode.ActiveError); // re-read: now a group, a unique claim is refused
        Assert.Equal(1, bed.Server.Statistics.VersionConflicts);
    }

    [Fact]
    public async Task StoreFailure_IsAnsweredSrvErr_AndTheServerRunsOn()
    {
        await using var bed = await WinsTestBed.StartAsync(store: new ThrowingWinsStore());
        var client = bed.Client(2);

        var first = await client.RegisterAsync(Fred);
        var second = await client.RegisterAsync(NetBiosName.Create("BARNEY", 0x20));
        var query = await bed.Client(3).QueryAsync(Fred);

        WinsAssert.Negative(first, NameServiceRcode.ServerFailure);
        WinsAssert.Negative(second, NameServiceRcode.ServerFailure);
        WinsAssert.Negative(query, NameServiceRcode.NameError);
        Assert.Equal(2, bed.Server.Statistics.StoreFailures);
    }

    [Fact]
    public async Task GroupClaimOnAUniqueName_ChallengesTheOwner()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var owner = bed.Client(2, challengeable: true);
        await owner.RegisterAsync(Fred);

        var pending = bed.Client(3).RegisterAsync(Fred, group: true);
        await owner.ExpectChallengeAsync(answer: true);
        var answer = await pending;

        WinsAssert.Negative(answer, NameServiceRcode.ActiveError);
        Assert.Equal(WinsRecordType.Unique, (await bed.Store.FindAsync(Fred, TestContext.Current.CancellationToken))!.Type);
    }

    [Fact]
    public async Task Queries_AgainstAStoreThatReadsAsynchronously_AreAnsweredInTheBackground()
    {
        var store = new AsyncReadWinsStore();
        await using var bed = await WinsTestBed.StartAsync(store: store);
        var client = bed.Client(2);
        await client.RegisterAsync(Fred);

        var found = await bed.Client(3).QueryAsync(Fred);
        var missing = await bed.Client(3).QueryAsync(NetBiosName.Create("NOBODY", 0x20));

        Assert.Equal([client.Address], WinsAssert.Addresses(found));
        WinsAssert.Negative(missing, NameServiceRcode.NameError);
        Assert.True(store.Reads >= 3);
    }

    [Fact]
    public async Task ConcurrentRequestsForOneName_AreSerialized()
    {
        await using var bed = await WinsTestBed.StartAsync();
        var clients = Enumerable.Range(0, 20).Select(i => bed.Client(40 + i)).ToList();

        var answers = await Task.WhenAll(clients.Select(c => c.RegisterAsync(DomainControllers, group: true)));
        var query = await bed.Client(2).QueryAsync(DomainControllers);

        Assert.All(answers, a => WinsAssert.Positive(a));
        Assert.Equal(20, WinsAssert.Addresses(query).Length);
        Assert.Equal(0, bed.Server.Statistics.VersionConflicts);
    }
}
