using NetBios.Diagnostics;
using NetBios.NameServer;
using NetBios.NameService;

namespace NetBios.Daemon;

/// <summary>
/// The administration operations of a NetBIOS daemon (nbtd; docs/IPC.md "Administration operations (0x0200-0x02FF)")
/// over a connected <see cref="NetBiosDaemonClient"/>: what <c>nbt names</c>, <c>nbt sessions</c>, <c>nbt cache</c>,
/// <c>nbt stats</c>, <c>nbt register</c> / <c>nbt release</c> and <c>nbt wins</c> through the daemon use.
/// </summary>
/// <remarks>Every method throws <see cref="NetBiosDaemonRequestException"/> when the daemon refuses (access denied, no
/// such LANA or held name, an older daemon that does not know the operation, an answer this client cannot read) and
/// <see cref="NetBiosDaemonException"/> when the daemon cannot be reached. Thread-safe: requests run concurrently.</remarks>
/// <param name="client">The connection (the caller keeps and disposes it).</param>
public sealed class NetBiosDaemonAdministration(NetBiosDaemonClient client)
{
    /// <summary>LANA value meaning "every station" in <see cref="GetNamesAsync"/>, <see cref="GetSessionsAsync"/>,
    /// <see cref="GetCacheAsync"/> and <see cref="PurgeCacheAsync"/>.</summary>
    public const byte AllLanas = AdminOperationCode.AllLanas;

    private readonly NetBiosDaemonClient _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>STATIONS: every LANA the daemon serves.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The stations, by LANA ascending.</returns>
    public async Task<IReadOnlyList<NetBiosDaemonStationInfo>> GetStationsAsync(CancellationToken cancellationToken = default) =>
        AdminCodec.ReadStations((await RunAsync(AdminOperationCode.Stations, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false)).Span)
        ?? throw Unreadable("STATIONS");

    /// <summary>NAMES: every name of a station's table with its state and who holds it (nbtstat -n).</summary>
    /// <param name="lana">The LANA, or <see cref="AllLanas"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The names.</returns>
    public async Task<IReadOnlyList<NetBiosDaemonNameInfo>> GetNamesAsync(byte lana = AllLanas, CancellationToken cancellationToken = default) =>
        AdminCodec.ReadNames((await RunAsync(AdminOperationCode.Names, AdminCodec.LanaRequest(lana), cancellationToken).ConfigureAwait(false)).Span)
        ?? throw Unreadable("NAMES");

    /// <summary>SESSIONS: every session of a station with its owner (nbtstat -s).</summary>
    /// <param name="lana">The LANA, or <see cref="AllLanas"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The sessions.</returns>
    public async Task<IReadOnlyList<NetBiosDaemonSessionInfo>> GetSessionsAsync(byte lana = AllLanas, CancellationToken cancellationToken = default) =>
        AdminCodec.ReadSessions((await RunAsync(AdminOperationCode.Sessions, AdminCodec.LanaRequest(lana), cancellationToken).ConfigureAwait(false)).Span)
        ?? throw Unreadable("SESSIONS");

    /// <summary>CACHE: a station's name cache (nbtstat -c).</summary>
    /// <param name="lana">The LANA, or <see cref="AllLanas"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The entries (expired ones left out).</returns>
    public async Task<IReadOnlyList<NetBiosDaemonCacheEntry>> GetCacheAsync(byte lana = AllLanas, CancellationToken cancellationToken = default) =>
        AdminCodec.ReadCache((await RunAsync(AdminOperationCode.Cache, AdminCodec.LanaRequest(lana), cancellationToken).ConfigureAwait(false)).Span)
        ?? throw Unreadable("CACHE");

    /// <summary>CACHE PURGE (nbtstat -R): empties a station's name cache and loads its LMHOSTS <c>#PRE</c> entries again.
    /// Needs <see cref="NetBiosDaemonPermissions.ManageStation"/>.</summary>
    /// <param name="lana">The LANA, or <see cref="AllLanas"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>What was done on each station.</returns>
    public async Task<IReadOnlyList<NetBiosDaemonCachePurgeResult>> PurgeCacheAsync(byte lana = AllLanas, CancellationToken cancellationToken = default) =>
        AdminCodec.ReadCachePurge((await RunAsync(AdminOperationCode.CachePurge, AdminCodec.LanaRequest(lana), cancellationToken).ConfigureAwait(false)).Span)
        ?? throw Unreadable("CACHE PURGE");

    /// <summary>STATS: every <see cref="NetBiosMetrics"/> instrument's value now, tagged by lana and address (integer
    /// tags as <see cref="long"/>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The samples.</returns>
    public async Task<IReadOnlyList<NetBiosMetricSample>> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        AdminCodec.ReadStats((await RunAsync(AdminOperationCode.Stats, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false)).Span)
        ?? throw Unreadable("STATS");

    /// <summary>HOLD NAME: the daemon registers the name on a station and holds (answers, defends, refreshes) it after this
    /// client is gone, until <see cref="ReleaseHeldNameAsync"/> or the daemon stops. Needs
    /// <see cref="NetBiosDaemonPermissions.AddNames"/>. A name that is not registered (conflict, refusal, timeout) is not held.</summary>
    /// <param name="lana">The station's LANA.</param>
    /// <param name="name">The name (the station's scope applies).</param>
    /// <param name="isGroup">A group name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The registration's outcome, as <see cref="NetBios.Station.NetBiosStation.AddNameAsync"/> reports it.</returns>
    public async Task<NameRegistrationResult> HoldNameAsync(byte lana, NetBiosName name, bool isGroup = false, CancellationToken cancellationToken = default) =>
        AdminCodec.ReadHold((await RunAsync(AdminOperationCode.HoldName, AdminCodec.HoldRequest(lana, name, isGroup), cancellationToken).ConfigureAwait(false)).Span, name)
        ?? throw Unreadable("HOLD NAME");

    /// <summary>RELEASE HELD NAME: releases a name the daemon holds (<see cref="HoldNameAsync"/>). Only the uid that held it
    /// or root may (else <see cref="NetBiosDaemonRequestStatus.AccessDenied"/>); a name the daemon does not hold is
    /// <see cref="NetBiosDaemonRequestStatus.NotFound"/>.</summary>
    /// <param name="lana">The station's LANA.</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The release's outcome.</returns>
    public async Task<NameReleaseResult> ReleaseHeldNameAsync(byte lana, NetBiosName name, CancellationToken cancellationToken = default) =>
        AdminCodec.ReadRelease((await RunAsync(AdminOperationCode.ReleaseHeldName, AdminCodec.ReleaseRequest(lana, name), cancellationToken).ConfigureAwait(false)).Span, name)
        ?? throw Unreadable("RELEASE HELD NAME");

    /// <summary>WINS LIST: every record of the WINS server the daemon runs, in <see cref="NetBiosName.CompareOrdinal"/>
    /// order (read a page at a time: a large database takes several requests, and a record written meanwhile may or may
    /// not be in the result). <see cref="NetBiosDaemonRequestStatus.NotFound"/> when the daemon runs no WINS server.</summary>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The records, and the highest version the server's store had written or read at the first page.</returns>
    public async Task<(IReadOnlyList<WinsRecord> Records, long MaxVersion)> GetWinsRecordsAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<WinsRecord>();
        NetBiosName? after = null;
        long? maxVersion = null;
        while (true)
        {
            var page = WinsAdminCodec.ReadList((await RunAsync(AdminOperationCode.WinsList, WinsAdminCodec.ListRequest(after), cancellationToken).ConfigureAwait(false)).Span)
                ?? throw Unreadable("WINS LIST");
            maxVersion ??= page.MaxVersion;
            records.AddRange(page.Records);

            // A page that says "more" but brings nothing (or does not move past the cursor) would loop forever.
            if (!page.More || page.Records.Count == 0 || (after is { } last && NetBiosName.CompareOrdinal(page.Records[^1].Name, last) <= 0))
            {
                return (records, maxVersion.Value);
            }

            after = page.Records[^1].Name;
        }
    }

    /// <summary>WINS SHOW: one name's record in the WINS server the daemon runs (<see cref="NetBiosDaemonRequestStatus.NotFound"/>
    /// when it runs none).</summary>
    /// <param name="name">The name with its suffix and scope, exactly as registered (names are case-sensitive bytes).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The record, or null when the name is not in the database.</returns>
    public async Task<WinsRecord?> GetWinsRecordAsync(NetBiosName name, CancellationToken cancellationToken = default) =>
        WinsAdminCodec.TryReadShow((await RunAsync(AdminOperationCode.WinsShow, WinsAdminCodec.ShowRequest(name), cancellationToken).ConfigureAwait(false)).Span, out var record)
            ? record
            : throw Unreadable("WINS SHOW");

    /// <summary>WINS DELETE: deletes a name's record if it still has <paramref name="expectedVersion"/> (the version read
    /// with <see cref="GetWinsRecordAsync"/>), serialized with the server's handling of that name. Needs
    /// <see cref="NetBiosDaemonPermissions.EditWins"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Succeeded; or not, with the record now (null when absent) when it changed meanwhile.</returns>
    public async Task<WinsWriteResult> DeleteWinsRecordAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default) =>
        WinsAdminCodec.ReadDelete((await RunAsync(AdminOperationCode.WinsDelete, WinsAdminCodec.DeleteRequest(name, expectedVersion), cancellationToken).ConfigureAwait(false)).Span)
        ?? throw Unreadable("WINS DELETE");

    private async Task<ReadOnlyMemory<byte>> RunAsync(ushort operation, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var reply = await _client.RequestAsync(operation, body, cancellationToken).ConfigureAwait(false);
        if (reply.Status != NetBiosDaemonRequestStatus.Ok)
        {
            throw new NetBiosDaemonRequestException(reply.Status, reply.Text);
        }

        return reply.Body;
    }

    private static NetBiosDaemonRequestException Unreadable(string operation) =>
        new(NetBiosDaemonRequestStatus.Malformed, $"the daemon's answer to {operation} does not have the documented layout");
}
