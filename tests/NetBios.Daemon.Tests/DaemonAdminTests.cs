using System.Net;
using System.Net.Sockets;
using NetBios.NameService;
using NetBios.NcbInterface;
using NetBios.SessionService;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>The administration operations 0x0200-0x02FF (docs/IPC.md "Administration operations"): through a real
/// client on the Unix socket (the tests run as root), and, for the access checks, as another uid through a connection
/// whose credentials the test sets.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DaemonAdminTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stations_ListsEachLana_WithItsAddressNodeTypeAndCounts()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        var station = Assert.Single(await admin.GetStationsAsync(Ct));
        Assert.Equal(0, station.Lana);
        Assert.Equal(IPAddress.Parse("10.3.0.1"), station.Address);
        Assert.Equal(bed.Station.NodeType, station.NodeType);
        Assert.Equal(12, station.UnitId.Length);
        Assert.Equal(bed.Station.GetNames().Count, station.NameCount);
    }

    [Fact]
    public async Task Names_SayWhoHoldsEachName_TheStation_TheDaemon_OrAClientWithItsPid()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        Assert.True((await bed.Station.AddNameAsync(Name("OWNNAME"), cancellationToken: Ct)).Succeeded);
        var client = await bed.ConnectAndResetAsync();
        await AddAsync(client, "CLIENTNAME");
        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        var held = await admin.HoldNameAsync(0, Name("HELDNAME"), cancellationToken: Ct);
        Assert.Equal(RegistrationOutcome.Registered, held.Outcome);

        var names = await admin.GetNamesAsync(cancellationToken: Ct);
        var own = Assert.Single(names, n => n.Name == Name("OWNNAME"));
        Assert.Equal(NetBiosDaemonNameHolder.Station, own.Holder);
        Assert.Equal(LocalNameState.Registered, own.State);
        var byClient = Assert.Single(names, n => n.Name == Name("CLIENTNAME"));
        Assert.Equal(NetBiosDaemonNameHolder.Client, byClient.Holder);
        Assert.Equal(Environment.ProcessId, byClient.ProcessId);
        var byDaemon = Assert.Single(names, n => n.Name == Name("HELDNAME"));
        Assert.Equal(NetBiosDaemonNameHolder.Daemon, byDaemon.Holder);
        Assert.Equal(0u, byDaemon.UserId);
        Assert.Equal(names.Count, (await admin.GetNamesAsync(0, Ct)).Count);
    }

    [Fact]
    public async Task AHeldName_SurvivesTheClientThatAsked_AndReleaseHeldName_ReleasesIt()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using (var asking = await NetBiosDaemonClient.ConnectAsync(bed.SocketPath, Ct))
        {
            var result = await new NetBiosDaemonAdministration(asking).HoldNameAsync(0, Name("KEEPME"), cancellationToken: Ct);
            Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        }

        Assert.True(await EventuallyAsync(() => bed.Server!.ClientCount == 0));
        Assert.True(bed.StationHolds("KEEPME"));
        Assert.True(await bed.ObserverFindsAsync("KEEPME"));

        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        var release = await admin.ReleaseHeldNameAsync(0, Name("KEEPME"), Ct);
        Assert.Equal(ReleaseOutcome.Broadcast, release.Outcome);
        Assert.False(bed.StationHolds("KEEPME"));
        Assert.DoesNotContain(await admin.GetNamesAsync(cancellationToken: Ct), n => n.Name == Name("KEEPME"));

        var again = await Assert.ThrowsAsync<NetBiosDaemonRequestException>(() => admin.ReleaseHeldNameAsync(0, Name("KEEPME"), Ct));
        Assert.Equal(NetBiosDaemonRequestStatus.NotFound, again.Status);
    }

    [Fact]
    public async Task HoldingANameTheStationHasAlready_IsDuplicate_AndReleasingANameNotHeld_IsNotFound()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        Assert.True((await bed.Station.AddNameAsync(Name("TAKEN"), cancellationToken: Ct)).Succeeded);
        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        Assert.Equal(RegistrationOutcome.Duplicate, (await admin.HoldNameAsync(0, Name("TAKEN"), cancellationToken: Ct)).Outcome);
        var refused = await Assert.ThrowsAsync<NetBiosDaemonRequestException>(() => admin.ReleaseHeldNameAsync(0, Name("TAKEN"), Ct));
        Assert.Equal(NetBiosDaemonRequestStatus.NotFound, refused.Status);
        Assert.True(bed.StationHolds("TAKEN"));
        var noLana = await Assert.ThrowsAsync<NetBiosDaemonRequestException>(() => admin.HoldNameAsync(7, Name("X"), cancellationToken: Ct));
        Assert.Equal(NetBiosDaemonRequestStatus.NotFound, noLana.Status);
    }

    [Fact]
    public async Task HeldNames_AreReleasedWhenTheDaemonStops()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        Assert.Equal(RegistrationOutcome.Registered, (await admin.HoldNameAsync(0, Name("UNTILSTOP"), cancellationToken: Ct)).Outcome);
        await bed.StopServerAsync();
        Assert.Null(bed.Station.GetName(Name("UNTILSTOP")));
    }

    [Fact]
    public async Task Sessions_ListBothEndsOfACallBetweenTwoClients_WithTheirOwners_AndMessagesAndBytesEachWay()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var a = await bed.ConnectAndResetAsync();
        var b = await bed.ConnectAndResetAsync();
        await AddAsync(a, "CALLER");
        await AddAsync(b, "CALLEE");
        var (lsnA, lsnB) = await ConnectAsync(a, "CALLER", b, "CALLEE");
        Assert.Equal(NcbReturnCode.GoodReturn, await a.SubmitAsync(Send(lsnA, "hello"), Ct));
        Assert.Equal(NcbReturnCode.GoodReturn, await a.SubmitAsync(Send(lsnA, "second!"), Ct));
        var small = Receive(lsnB, 4);
        Assert.Equal(NcbReturnCode.Incomplete, await b.SubmitAsync(small, Ct)); // "hell": one piece, no whole message yet
        Assert.Equal(NcbReturnCode.GoodReturn, await b.SubmitAsync(Receive(lsnB, 64), Ct)); // "o"
        Assert.Equal(NcbReturnCode.GoodReturn, await b.SubmitAsync(Receive(lsnB, 64), Ct)); // "second!"
        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        var sessions = await admin.GetSessionsAsync(cancellationToken: Ct);
        Assert.Equal(2, sessions.Count);
        var outbound = Assert.Single(sessions, s => s.IsCaller);
        Assert.Equal(Name("CALLER"), outbound.LocalName);
        Assert.Equal(Name("CALLEE"), outbound.RemoteName);
        Assert.Equal(SessionState.Established, outbound.State);
        Assert.Equal(NetBiosDaemonNameHolder.Client, outbound.Holder);
        Assert.Equal(Environment.ProcessId, outbound.ProcessId);
        Assert.NotNull(outbound.RemoteEndPoint);
        Assert.Equal((2L, 12L, 0L, 0L), (outbound.MessagesSent, outbound.BytesSent, outbound.MessagesReceived, outbound.BytesReceived));
        var inbound = Assert.Single(sessions, s => !s.IsCaller);
        Assert.Equal((0L, 0L, 2L, 12L), (inbound.MessagesSent, inbound.BytesSent, inbound.MessagesReceived, inbound.BytesReceived));
        Assert.Equal(2, Assert.Single(await admin.GetStationsAsync(Ct)).SessionCount);
    }

    [Fact]
    public async Task Cache_ListsTheStationsCacheEntries_AndCachePurge_EmptiesIt()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        // What a name server's answer leaves behind (broadcast answers of B nodes carry TTL 0 and are not kept).
        bed.Station.Names.Cache.AddPositive(Name("FARNAME"),
            [new NameQueryAnswer(IPAddress.Parse("10.3.0.2"), false, Wire.NameService.NodeType.B, TimeSpan.FromMinutes(5), null, ResolveSource.NameServer)],
            TimeSpan.FromMinutes(5));
        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());

        var entry = Assert.Single(await admin.GetCacheAsync(cancellationToken: Ct), e => e.Name == Name("FARNAME"));
        Assert.False(entry.IsNegative);
        Assert.Equal(IPAddress.Parse("10.3.0.2"), Assert.Single(entry.Answers).Address);
        Assert.True(entry.ExpiresIn > TimeSpan.Zero);

        var purge = Assert.Single(await admin.PurgeCacheAsync(cancellationToken: Ct));
        Assert.True(purge.Purged >= 1);
        Assert.Equal(0, purge.Preloaded);
        Assert.DoesNotContain(await admin.GetCacheAsync(cancellationToken: Ct), e => e.Name == Name("FARNAME"));
    }

    [Fact]
    public async Task Stats_HasEveryStationInstrument_TaggedWithLanaAndAddress()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var admin = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        var samples = await admin.GetStatisticsAsync(Ct);
        var sent = Assert.Single(samples, s => s.Instrument == "netbios.name.packets" && (string?)s.GetTag("direction") == "sent");
        Assert.Equal(0L, sent.GetTag("lana"));
        Assert.Equal("10.3.0.1", sent.GetTag("address"));
        Assert.Contains(samples, s => s.Instrument == "netbios.session.active");
    }

    [Fact]
    public async Task AnotherUser_IsRefused_CachePurge_AHoldThePolicyForbids_AndAnotherUsersHeldName()
    {
        await using var bed = await DaemonTestBed.StartAsync(o => o.AccessPolicy.AddNames.UserIds.Add(1001));
        var root = new NetBiosDaemonAdministration(await bed.ConnectAsync());
        Assert.Equal(RegistrationOutcome.Registered, (await root.HoldNameAsync(0, Name("ROOTS"), cancellationToken: Ct)).Outcome);
        bed.Server!.Options.AccessPolicy.AddNames.Everyone = false;

        await using var user = await FakeClient.ConnectAsync(bed, new PeerCredentials(4242, 1000, 1000));
        Assert.Equal(NetBiosDaemonRequestStatus.AccessDenied, (await user.RunAsync(AdminOperationCode.CachePurge, [0xFF])).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.AccessDenied, (await user.RunAsync(AdminOperationCode.HoldName, HoldBody("USERS"))).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.AccessDenied, (await user.RunAsync(AdminOperationCode.ReleaseHeldName, ReleaseBody("ROOTS"))).Status);
        Assert.True(bed.StationHolds("ROOTS"));
        Assert.False(bed.StationHolds("USERS"));

        // A user the policy lets add names holds one; only that user (or root) may release it.
        await using var allowed = await FakeClient.ConnectAsync(bed, new PeerCredentials(4243, 1001, 1001));
        Assert.Equal(NetBiosDaemonRequestStatus.Ok, (await allowed.RunAsync(AdminOperationCode.HoldName, HoldBody("USERS"))).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.AccessDenied, (await user.RunAsync(AdminOperationCode.ReleaseHeldName, ReleaseBody("USERS"))).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.Ok, (await allowed.RunAsync(AdminOperationCode.ReleaseHeldName, ReleaseBody("USERS"))).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.Ok, (await user.RunAsync(AdminOperationCode.Names, [0xFF])).Status); // reading is for everyone
    }

    [Fact]
    public async Task MalformedBodies_AreAnsweredMalformed_AndTheClientGoesOn()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var client = await bed.ConnectAsync();
        byte[][] bad =
        [
            [0x00, 0x01], // two bytes where one LANA byte is expected
            [],
        ];
        Assert.Equal(NetBiosDaemonRequestStatus.Malformed, (await client.RequestAsync(AdminOperationCode.Names, bad[0], Ct)).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.Malformed, (await client.RequestAsync(AdminOperationCode.Cache, bad[1], Ct)).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.Malformed, (await client.RequestAsync(AdminOperationCode.Stations, new byte[] { 1 }, Ct)).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.Malformed, (await client.RequestAsync(AdminOperationCode.HoldName, HoldBody("X").AsMemory(0, 10), Ct)).Status);
        byte[] badScope = [.. HoldBody("X")[..^1], 3, (byte)'a', (byte)'.', (byte)'.'];
        Assert.Equal(NetBiosDaemonRequestStatus.Malformed, (await client.RequestAsync(AdminOperationCode.HoldName, badScope, Ct)).Status);
        byte[] badFlags = HoldBody("X");
        badFlags[1] = 0x80;
        Assert.Equal(NetBiosDaemonRequestStatus.Malformed, (await client.RequestAsync(AdminOperationCode.HoldName, badFlags, Ct)).Status);
        Assert.Equal(NetBiosDaemonRequestStatus.UnknownOperation, (await client.RequestAsync(0x02FE, ReadOnlyMemory<byte>.Empty, Ct)).Status);
        Assert.Single(await new NetBiosDaemonAdministration(client).GetStationsAsync(Ct));
    }

    [Fact]
    public void TheCodec_ReadsWhatItWrites_AndNeverThrowsOnTruncatedResults()
    {
        var names = new List<NetBiosDaemonNameInfo>
        {
            new(0, NetBiosName.Create("A", 0x20, "SCOPE.ID"), true, false, LocalNameState.Conflict, TimeSpan.FromSeconds(300),
                IPAddress.Parse("10.0.0.9"), NetBiosDaemonNameHolder.Client, 77, 1000),
        };
        var body = AdminCodec.Names(names).ToArray();
        Assert.Equal(names, AdminCodec.ReadNames(body));
        for (int cut = 0; cut < body.Length; cut++)
        {
            Assert.Null(AdminCodec.ReadNames(body.AsSpan(0, cut)));
        }

        var samples = AdminCodec.Stats([new Diagnostics.NetBiosMetricSample("netbios.x", "{p}", Diagnostics.NetBiosMetricKind.Gauge, 5,
            [new("lana", 1), new("address", "10.0.0.1"), new("none", null)])]).ToArray();
        var read = Assert.Single(AdminCodec.ReadStats(samples)!);
        Assert.Equal(1L, read.GetTag("lana"));
        Assert.Equal("10.0.0.1", read.GetTag("address"));
        for (int cut = 0; cut < samples.Length; cut++)
        {
            Assert.Null(AdminCodec.ReadStats(samples.AsSpan(0, cut)));
        }

        Assert.Null(AdminCodec.ReadSessions([0xFF, 0xFF, 0]));
        Assert.Null(AdminCodec.ReadCache([0xFF, 0xFF, 0]));
    }

    private static byte[] HoldBody(string name) => [0, 0, .. Name(name).ToArray(), 0];

    private static byte[] ReleaseBody(string name) => [0, .. Name(name).ToArray(), 0];

    /// <summary>A connection to the bed's server with credentials the test chooses (the server side object, driven
    /// directly: the real path takes SO_PEERCRED, which in-process is always this process's root).</summary>
    private sealed class FakeClient : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly Socket _near;
        private readonly Socket _far;
        private readonly DaemonClientConnection _connection;
        private uint _nextId = 1;

        private FakeClient(Socket listener, Socket near, Socket far, DaemonClientConnection connection)
        {
            _listener = listener;
            _near = near;
            _far = far;
            _connection = connection;
        }

        public static async Task<FakeClient> ConnectAsync(DaemonTestBed bed, PeerCredentials credentials)
        {
            string path = Path.Combine(bed.Directory.FullName, $"fake-{Guid.NewGuid():N}.sock"[..20]);
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            var near = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await near.ConnectAsync(new UnixDomainSocketEndPoint(path), Ct);
            var far = await listener.AcceptAsync(Ct);
            return new FakeClient(listener, near, far, new DaemonClientConnection(bed.Server!, far, credentials));
        }

        public async Task<DaemonReply> RunAsync(ushort operation, byte[] body) =>
            await DaemonOperations.HandleAsync(new DaemonRequest(_connection, _nextId++, operation, body), Ct);

        public ValueTask DisposeAsync()
        {
            _connection.Dispose();
            _near.Dispose();
            _far.Dispose();
            _listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
