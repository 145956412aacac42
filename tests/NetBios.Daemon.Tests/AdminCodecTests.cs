using System.Net;
using NetBios.Diagnostics;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>The administration bodies (docs/IPC.md "Administration operations"), encoded with the station body codec:
/// every result reads back as written, byte layouts match the document, and a cut, padded or corrupted body reads as
/// null without throwing.</summary>
public sealed class AdminCodecTests
{
    private static readonly NetBiosName Scoped = NetBiosName.Create("A", 0x20, "SCOPE.ID");

    private static readonly IReadOnlyList<NetBiosDaemonNameInfo> SomeNames =
    [
        new(0, Scoped, true, false, LocalNameState.Conflict, TimeSpan.FromSeconds(300), IPAddress.Parse("10.0.0.9"), NetBiosDaemonNameHolder.Client, 77, 1000),
        new(1, NetBiosName.Create("B", 0x00), false, true, LocalNameState.Registered, TimeSpan.Zero, null, NetBiosDaemonNameHolder.Station, 0, 0),
        new(1, NetBiosName.Create("W", 0x20), false, false, LocalNameState.Registered, TimeSpan.FromSeconds(600), null, NetBiosDaemonNameHolder.Daemon, 0, 5,
            TimeSpan.FromSeconds(590), TimeSpan.FromSeconds(290)),
    ];

    private static readonly IReadOnlyList<NetBiosDaemonSessionInfo> SomeSessions =
    [
        new(0, 5, Scoped, NetBiosName.Create("PEER", 0x20), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 139), SessionState.Established, true, 1, 2,
            NetBiosDaemonNameHolder.Client, 42, 1001, 3, 131_071L * 3, long.MaxValue, 0),
        new(0, 6, Scoped, NetBiosName.Create("V6", 0x20), new IPEndPoint(IPAddress.IPv6Loopback, 40000), SessionState.Aborted, false, 0, 0,
            NetBiosDaemonNameHolder.Station, 0, 0),
        new(1, -1, Scoped, Scoped, null, SessionState.Closed, false, 0, 0, NetBiosDaemonNameHolder.Station, 0, 0),
    ];

    private static readonly IReadOnlyList<NetBiosDaemonCacheEntry> SomeCache =
    [
        new(0, NetBiosName.Create("PRE", 0x20), [new NameQueryAnswer(IPAddress.Parse("10.0.0.7"), false, NodeType.B, TimeSpan.Zero, null, ResolveSource.Lmhosts)],
            false, true, TimeSpan.MaxValue),
        new(0, NetBiosName.Create("GONE", 0x20), [], true, false, TimeSpan.FromSeconds(59)),
    ];

    private static readonly IReadOnlyList<NetBiosMetricSample> SomeStats =
    [
        new("netbios.x", "{p}", NetBiosMetricKind.Gauge, 5, [new("lana", 1L), new("address", "10.0.0.1"), new("none", null)]),
        new("netbios.y", "{é}", NetBiosMetricKind.Counter, long.MinValue, []),
    ];

    [Fact]
    public void EveryList_ReadsBackAsWritten_AndEveryCutOrPaddedBodyIsNull()
    {
        RoundTrip(AdminCodec.Names(SomeNames), AdminCodec.ReadNames, SomeNames);
        RoundTrip(AdminCodec.Sessions(SomeSessions), AdminCodec.ReadSessions, SomeSessions);
        var stations = new List<NetBiosDaemonStationInfo> { new(3, IPAddress.Parse("10.3.0.1"), NodeType.H, "SCOPE.ID", "0A0B0C0D0E0F", 4, 2) };
        RoundTrip(AdminCodec.Stations(stations), AdminCodec.ReadStations, stations);
        var purge = new List<NetBiosDaemonCachePurgeResult> { new(0, 3, 1), new(1, 0, 0) };
        RoundTrip(AdminCodec.CachePurge(purge), AdminCodec.ReadCachePurge, purge);

        var cache = AdminCodec.Cache(SomeCache).ToArray();
        var readCache = AdminCodec.ReadCache(cache)!;
        Assert.Equal(SomeCache.Select(e => (e.Lana, e.Name, e.IsNegative, e.IsPermanent, e.ExpiresIn)),
            readCache.Select(e => (e.Lana, e.Name, e.IsNegative, e.IsPermanent, e.ExpiresIn)));
        Assert.Equal(IPAddress.Parse("10.0.0.7"), Assert.Single(readCache[0].Answers).Address);
        Assert.Equal(ResolveSource.Lmhosts, readCache[0].Answers[0].Source);
        AssertCutsAndPaddingAreNull(cache, b => AdminCodec.ReadCache(b));

        var stats = AdminCodec.Stats(SomeStats).ToArray();
        var readStats = AdminCodec.ReadStats(stats)!;
        Assert.Equal(2, readStats.Count);
        Assert.Equal(1L, readStats[0].GetTag("lana"));
        Assert.Equal("10.0.0.1", readStats[0].GetTag("address"));
        Assert.Equal("{é}", readStats[1].Unit);
        Assert.Equal(long.MinValue, readStats[1].Value);
        AssertCutsAndPaddingAreNull(stats, b => AdminCodec.ReadStats(b));
    }

    [Fact]
    public void HoldAndRelease_ReadBackAsWritten_HoldIsTheAddNameResult()
    {
        var name = NetBiosName.Create("HELD", 0x20);
        var hold = new NameRegistrationResult(name, RegistrationOutcome.Refused, IPAddress.Parse("10.0.0.3"), NameServiceRcode.ActiveError,
            TimeSpan.FromSeconds(3600), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 137));
        var body = AdminCodec.Hold(hold).ToArray();
        Assert.Equal(StationNameCodec.WriteRegistration(hold), body);
        Assert.Equal(hold, AdminCodec.ReadHold(body, name));
        Assert.Null(AdminCodec.ReadHold(body, NetBiosName.Create("OTHER", 0x20)));
        AssertCutsAndPaddingAreNull(body, b => AdminCodec.ReadHold(b, name));

        var release = new NameReleaseResult(name, ReleaseOutcome.Broadcast, null, null);
        var releaseBody = AdminCodec.Release(release).ToArray();
        Assert.Equal(new byte[] { (byte)ReleaseOutcome.Broadcast, 0, 0, 0 }, releaseBody);
        Assert.Equal(release, AdminCodec.ReadRelease(releaseBody, name));
        AssertCutsAndPaddingAreNull(releaseBody, b => AdminCodec.ReadRelease(b, name));
    }

    [Fact]
    public void ANamesEntry_HasTheDocumentedLayout_ByteForByte()
    {
        var entry = new NetBiosDaemonNameInfo(2, NetBiosName.Create("AB", 0x20, "S"), true, false, LocalNameState.Registered, TimeSpan.FromSeconds(0x0102),
            IPAddress.Parse("10.0.0.9"), NetBiosDaemonNameHolder.Daemon, -1, 0x01020304, TimeSpan.FromSeconds(59.5), null);
        byte[] name = [.. "AB              "u8[..15], 0x20];
        byte[] expected =
        [
            0, 1, 0, // count u16, truncated u8
            2, .. name, 1, (byte)'S', // lana, name (16 raw bytes, u8 scope length, scope)
            1, (byte)LocalNameState.Registered, 0, 0, 1, 2, // flags (1 group), state, ttl u32
            4, 10, 0, 0, 9, // conflict-owner addr: u8 length then the bytes
            1, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, // holder, pid i32, uid u32
            0, 0, 0, 59, 0xFF, 0xFF, 0xFF, 0xFF, // ttl-left u32 (whole seconds), next-refresh u32 (none)
        ];
        Assert.Equal(expected, AdminCodec.Names([entry]).ToArray());
    }

    [Fact]
    public void Requests_ReadBackAsWritten_AndBadFlagsScopesOrPaddingAreMalformed()
    {
        var body = AdminCodec.HoldRequest(1, Scoped, isGroup: true).ToArray();
        Assert.True(AdminCodec.TryReadHoldRequest(body, out byte lana, out var name, out bool group));
        Assert.Equal((1, Scoped, true), (lana, name, group));
        AssertCutsAndPaddingAreNull(body, b => AdminCodec.TryReadHoldRequest(b, out _, out _, out _) ? "ok" : null);
        body[1] = 2;
        Assert.False(AdminCodec.TryReadHoldRequest(body, out _, out _, out _));

        var release = AdminCodec.ReleaseRequest(0, Scoped).ToArray();
        Assert.True(AdminCodec.TryReadReleaseRequest(release, out _, out var released));
        Assert.Equal(Scoped, released);
        release[1 + NetBiosName.Length + 1] = (byte)'.'; // the scope now starts with an empty label
        Assert.False(AdminCodec.TryReadReleaseRequest(release, out _, out _));

        Assert.True(AdminCodec.TryReadLanaRequest([0xFF], out byte all));
        Assert.Equal(0xFF, all);
        Assert.False(AdminCodec.TryReadLanaRequest([], out _));
        Assert.False(AdminCodec.TryReadLanaRequest([0, 0], out _));
    }

    [Fact]
    public void HugeCountsAndUndefinedValues_ReadAsNull_WithoutSizingAListFromTheCount()
    {
        Assert.Null(AdminCodec.ReadNames([0xFF, 0xFF, 0]));
        Assert.Null(AdminCodec.ReadSessions([0xFF, 0xFF, 0]));
        Assert.Null(AdminCodec.ReadCache([0xFF, 0xFF, 0]));
        Assert.Null(AdminCodec.ReadStats([0xFF, 0xFF, 0]));
        Assert.Null(AdminCodec.ReadStations([0xFF]));
        Assert.Null(AdminCodec.ReadCachePurge([0xFF]));
        Assert.Null(AdminCodec.ReadNames([0, 0, 2])); // truncated flag neither 0 nor 1

        var names = AdminCodec.Names(SomeNames).ToArray();
        int state = 3 + 1 + NetBiosName.Length + 1 + 8 + 1;
        names[state] = 9; // undefined LocalNameState
        Assert.Null(AdminCodec.ReadNames(names));
        names = AdminCodec.Names(SomeNames).ToArray();
        names[state - 1] = 4; // undefined flag bit
        Assert.Null(AdminCodec.ReadNames(names));
        names = AdminCodec.Names(SomeNames).ToArray();
        names[state + 5] = 5; // address length neither 0, 4 nor 16
        Assert.Null(AdminCodec.ReadNames(names));
    }

    [Fact]
    public void RandomBodies_NeverThrow()
    {
        var random = new Random(1234);
        byte[][] seeds =
        [
            AdminCodec.Names(SomeNames).ToArray(), AdminCodec.Sessions(SomeSessions).ToArray(), AdminCodec.Cache(SomeCache).ToArray(),
            AdminCodec.Stats(SomeStats).ToArray(),
        ];
        var name = NetBiosName.Create("X", 0x20);
        for (int i = 0; i < 4000; i++)
        {
            byte[] body = (byte[])seeds[i % seeds.Length].Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            _ = AdminCodec.ReadNames(body);
            _ = AdminCodec.ReadSessions(body);
            _ = AdminCodec.ReadCache(body);
            _ = AdminCodec.ReadStats(body);
            _ = AdminCodec.ReadStations(body);
            _ = AdminCodec.ReadCachePurge(body);
            _ = AdminCodec.ReadHold(body, name);
            _ = AdminCodec.ReadRelease(body, name);
            _ = AdminCodec.TryReadHoldRequest(body, out _, out _, out _);
        }
    }

    private static void RoundTrip<T>(ReadOnlyMemory<byte> written, ReadList<T> read, IReadOnlyList<T> expected)
    {
        byte[] body = written.ToArray();
        Assert.Equal(expected, read(body));
        AssertCutsAndPaddingAreNull(body, b => read(b));
    }

    private static void AssertCutsAndPaddingAreNull(byte[] body, Func<byte[], object?> read)
    {
        for (int cut = 0; cut < body.Length; cut++)
        {
            Assert.Null(read(body[..cut]));
        }

        Assert.Null(read([.. body, 0]));
    }

    private delegate IReadOnlyList<T>? ReadList<T>(ReadOnlySpan<byte> body);
}
