using System.Collections.Immutable;
using System.Net;
using NetBios.NameServer;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>
/// WINS LIST, SHOW and DELETE through the daemon (docs/IPC.md "WINS operations"): the bodies read back as written and a
/// cut, padded or corrupted body reads as null; a real daemon serves a WINS server's records in name order a page at a
/// time, shows one, deletes only at the version read, and refuses a client the policy does not allow to edit.
/// </summary>
public sealed class WinsOperationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void EveryBody_ReadsBackAsWritten_AndEveryCutOrPaddedOneIsRejected()
    {
        var records = new[] { Unique("ALPHA", 1), Group(), Unique("SCOPED", 2, "SCOPE.ID") };
        var list = WinsAdminCodec.ReadList(WinsAdminCodec.List(42, records).Span)!.Value;
        Assert.Equal(42, list.MaxVersion);
        Assert.False(list.More);
        Assert.Equal(records.Select(Fields), list.Records.Select(Fields));

        Assert.True(WinsAdminCodec.TryReadShow(WinsAdminCodec.Show(records[2]).Span, out var shown));
        Assert.Equal(Fields(records[2]), Fields(shown!));
        Assert.True(WinsAdminCodec.TryReadShow(WinsAdminCodec.Show(null).Span, out var absent));
        Assert.Null(absent);
        Assert.Equal(new WinsWriteResult(true, null), WinsAdminCodec.ReadDelete(WinsAdminCodec.Delete(new WinsWriteResult(true, null)).Span));
        var conflict = WinsAdminCodec.ReadDelete(WinsAdminCodec.Delete(new WinsWriteResult(false, records[0])).Span)!.Value;
        Assert.False(conflict.Succeeded);
        Assert.Equal(Fields(records[0]), Fields(conflict.Record!));

        Assert.True(WinsAdminCodec.TryReadListRequest(WinsAdminCodec.ListRequest(records[2].Name).Span, out var after));
        Assert.Equal(records[2].Name, after);
        Assert.True(WinsAdminCodec.TryReadListRequest(WinsAdminCodec.ListRequest(null).Span, out var none));
        Assert.Null(none);
        Assert.True(WinsAdminCodec.TryReadDeleteRequest(WinsAdminCodec.DeleteRequest(records[0].Name, long.MaxValue).Span, out var name, out long version));
        Assert.Equal((records[0].Name, long.MaxValue), (name, version));

        // Every cut and every padded body is refused, never thrown on.
        byte[] body = WinsAdminCodec.List(42, records).ToArray();
        for (int cut = 0; cut < body.Length; cut++)
        {
            Assert.Null(WinsAdminCodec.ReadList(body.AsSpan(0, cut)));
        }

        Assert.Null(WinsAdminCodec.ReadList([.. body, 0]));
        byte[] show = WinsAdminCodec.Show(records[0]).ToArray();
        for (int cut = 0; cut < show.Length; cut++)
        {
            Assert.False(WinsAdminCodec.TryReadShow(show.AsSpan(0, cut), out _));
        }

        Assert.False(WinsAdminCodec.TryReadDeleteRequest([.. WinsAdminCodec.DeleteRequest(records[0].Name, 1).Span, 0], out _, out _));
    }

    [Fact]
    public void ACountOrTimeTheBytesCannotHold_IsRejected_BeforeAnythingIsSizedFromIt()
    {
        byte[] body = WinsAdminCodec.List(1, [Unique("ALPHA", 1)]).ToArray();
        body[8] = 0xFF; // count 0xFF01 records in a body that holds one
        Assert.Null(WinsAdminCodec.ReadList(body));

        byte[] show = WinsAdminCodec.Show(Unique("ALPHA", 1)).ToArray();
        int expires = 1 + NetBiosName.Length + 1 + 4 + 5 + 8; // has-record, name, scope length, four bytes, owner, version
        show.AsSpan(expires, 8).Fill(0x7F); // a time past DateTimeOffset.MaxValue
        Assert.False(WinsAdminCodec.TryReadShow(show, out _));

        byte[] many = WinsAdminCodec.Show(Unique("ALPHA", 1)).ToArray();
        many[expires + 8] = 200; // 200 addresses in a body that holds one
        Assert.False(WinsAdminCodec.TryReadShow(many, out _));
    }

    [Fact]
    public async Task ADaemonWithAWinsServer_ListsEveryRecordInNameOrderAcrossPages_ShowsOne_AndDeletesOnlyAtTheVersionRead()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var store = new InMemoryWinsStore();
        await using var wins = new WinsServer(bed.Station.Names.Endpoint, store);
        bed.Server!.WinsServer = wins;

        // More than one page: a page stops before 192 KiB of body (~3 400 records of this size).
        const int Count = 8000;
        for (int i = Count - 1; i >= 0; i--)
        {
            Assert.True((await store.WriteAsync(Unique($"N{i:D5}", 0), 0, Ct)).Succeeded);
        }

        await using var client = await bed.ConnectAsync();
        var admin = new NetBiosDaemonAdministration(client);
        var (records, maxVersion) = await admin.GetWinsRecordsAsync(Ct);
        Assert.Equal(Count, records.Count);
        Assert.Equal(store.MaxVersion, maxVersion);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"N{i:D5}"), records.Select(r => r.Name.ToString().Split('<')[0]));

        var name = NetBiosName.Create("N04000", 0x00);
        var record = await admin.GetWinsRecordAsync(name, Ct);
        Assert.NotNull(record);
        Assert.Null(await admin.GetWinsRecordAsync(NetBiosName.Create("ABSENT", 0x00), Ct));

        // A stale version deletes nothing and brings the record as it is now.
        var stale = await admin.DeleteWinsRecordAsync(name, record.Version - 1, Ct);
        Assert.False(stale.Succeeded);
        Assert.Equal(record.Version, stale.Record!.Version);
        Assert.NotNull(await store.FindAsync(name, Ct));

        // The version read deletes it (root may: the test runs as root in CI; everyone may read).
        if (Environment.UserName == "root")
        {
            Assert.True((await admin.DeleteWinsRecordAsync(name, record.Version, Ct)).Succeeded);
            Assert.Null(await store.FindAsync(name, Ct));
            Assert.Null(await admin.GetWinsRecordAsync(name, Ct));
        }
    }

    [Fact]
    public async Task ADaemonWithoutAWinsServer_AnswersNotFound_AndAMalformedRequestIsAnsweredMalformed()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        await using var client = await bed.ConnectAsync();
        var admin = new NetBiosDaemonAdministration(client);
        var none = await Assert.ThrowsAsync<NetBiosDaemonRequestException>(() => admin.GetWinsRecordsAsync(Ct));
        Assert.Equal(NetBiosDaemonRequestStatus.NotFound, none.Status);

        await using var wins = new WinsServer(bed.Station.Names.Endpoint, new InMemoryWinsStore());
        bed.Server!.WinsServer = wins;
        var reply = await client.RequestAsync(AdminOperationCode.WinsShow, new byte[] { 1, 2, 3 }, Ct);
        Assert.Equal(NetBiosDaemonRequestStatus.Malformed, reply.Status);
        Assert.Null(await admin.GetWinsRecordAsync(NetBiosName.Create("STILL", 0x00), Ct)); // the connection goes on
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task AClientRunningAsNobody_MayReadTheWinsDatabase_ButNotDeleteFromIt()
    {
        Assert.SkipUnless(Environment.UserName == "root", "running a client as nobody needs root");
        await using var bed = await DaemonTestBed.StartAsync();
        var store = new InMemoryWinsStore();
        await using var wins = new WinsServer(bed.Station.Names.Endpoint, store);
        bed.Server!.WinsServer = wins;
        Assert.True((await store.WriteAsync(Unique("KEEPME", 0), 0, Ct)).Succeeded);
        bed.Directory.UnixFileMode = (UnixFileMode)Convert.ToInt32("777", 8);

        using var nobody = DaemonLifetimeTests.StartClient(bed.SocketPath, "wins", "KEEPME", asUser: "nobody");
        Assert.Equal("found", await DaemonLifetimeTests.ReadFieldAsync(nobody, "SHOW"));
        Assert.Equal("AccessDenied", await DaemonLifetimeTests.ReadFieldAsync(nobody, "DELETE"));
        await nobody.WaitForExitAsync(Ct);
        Assert.NotNull(await store.FindAsync(NetBiosName.Create("KEEPME", 0x00), Ct));
    }

    private static WinsRecord Unique(string name, long version, string? scope = null) => new()
    {
        Name = NetBiosName.Create(name, 0x00, scope),
        Type = WinsRecordType.Unique,
        State = WinsRecordState.Active,
        NodeType = NodeType.H,
        Owner = IPAddress.Parse("10.0.0.1"),
        Expires = Now.AddDays(6),
        Version = version,
        Addresses = [new WinsAddress(IPAddress.Parse("10.0.0.7"), IPAddress.Parse("10.0.0.1"), Now.AddDays(6))],
    };

    private static WinsRecord Group() => new()
    {
        Name = NetBiosName.Create("WORKGROUP", 0x1C),
        Type = WinsRecordType.SpecialGroup,
        State = WinsRecordState.Tombstone,
        NodeType = NodeType.P,
        IsStatic = true,
        Owner = IPAddress.IPv6Loopback,
        Expires = DateTimeOffset.UnixEpoch,
        Version = long.MaxValue,
        Addresses = ImmutableArray<WinsAddress>.Empty,
    };

    private static string Fields(WinsRecord r) =>
        $"{r.Name}|{r.Type}|{r.State}|{r.NodeType}|{r.IsStatic}|{r.Owner}|{r.Version}|{r.Expires.ToUnixTimeMilliseconds()}|" +
        string.Join(',', r.Addresses.Select(a => $"{a.Address}/{a.Owner}/{a.Expires.ToUnixTimeMilliseconds()}"));
}
