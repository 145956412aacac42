using System.Net;
using NetBios.Diagnostics;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Wire.NameService;

namespace NetBios.Daemon;

/// <summary>
/// The bodies of the administration operations (docs/IPC.md "Administration operations (0x0200-0x02FF)"), shared by
/// the daemon (decodes requests, encodes results) and <see cref="NetBiosDaemonAdministration"/> (the reverse). Decoders
/// never throw: a body without the layout decodes as null / false. Counts are checked against the bytes left before
/// any list is sized from them.
/// </summary>
internal static class AdminCodec
{
    /// <summary>The largest result body the daemon builds: lists stop (truncated flag) before they would pass it.</summary>
    public const int MaxResultBody = 192 * 1024;

    private const uint NoTtl = uint.MaxValue;
    private const byte NoRcode = 0xFF;

    // ---- requests ----

    /// <summary>A request body that is one LANA byte (NAMES, SESSIONS, CACHE, CACHE PURGE; 0xFF = every LANA).</summary>
    public static byte[] LanaRequest(byte lana) => [lana];

    /// <summary>Reads a one-LANA request body.</summary>
    public static bool TryReadLanaRequest(ReadOnlySpan<byte> body, out byte lana)
    {
        var reader = new AdminWireReader(body);
        return reader.U8(out lana) & reader.Remaining == 0;
    }

    /// <summary>HOLD NAME request: <c>lana (u8) | flags (u8: 1 = group) | name</c>.</summary>
    public static ReadOnlyMemory<byte> HoldRequest(byte lana, NetBiosName name, bool isGroup)
    {
        var writer = new AdminWireWriter();
        writer.U8(lana);
        writer.U8(isGroup ? (byte)1 : (byte)0);
        writer.Name(name);
        return writer.Written;
    }

    /// <summary>Reads a HOLD NAME request.</summary>
    public static bool TryReadHoldRequest(ReadOnlySpan<byte> body, out byte lana, out NetBiosName name, out bool isGroup)
    {
        var reader = new AdminWireReader(body);
        name = default;
        isGroup = false;
        if (!reader.U8(out lana) || !reader.U8(out byte flags) || (flags & ~1) != 0 || !reader.Name(out name) || reader.Remaining != 0)
        {
            return false;
        }

        isGroup = flags == 1;
        return true;
    }

    /// <summary>RELEASE HELD NAME request: <c>lana (u8) | name</c>.</summary>
    public static ReadOnlyMemory<byte> ReleaseRequest(byte lana, NetBiosName name)
    {
        var writer = new AdminWireWriter();
        writer.U8(lana);
        writer.Name(name);
        return writer.Written;
    }

    /// <summary>Reads a RELEASE HELD NAME request.</summary>
    public static bool TryReadReleaseRequest(ReadOnlySpan<byte> body, out byte lana, out NetBiosName name)
    {
        var reader = new AdminWireReader(body);
        name = default;
        return reader.U8(out lana) && reader.Name(out name) && reader.Remaining == 0;
    }

    // ---- STATIONS ----

    /// <summary>STATIONS result: <c>count (u8) | station[count]</c>, each
    /// <c>lana (u8) | address (4) | node-type (u8) | scope (u8 length, bytes) | unit-id (6) | names (u16) | sessions (u16)</c>.</summary>
    public static ReadOnlyMemory<byte> Stations(IReadOnlyList<NetBiosDaemonStationInfo> stations)
    {
        var writer = new AdminWireWriter();
        writer.U8((byte)Math.Min(stations.Count, 255));
        Span<byte> unit = stackalloc byte[6];
        foreach (var station in stations.Take(255))
        {
            writer.U8(station.Lana);
            writer.Address(station.Address);
            writer.U8((byte)station.NodeType);
            writer.Scope(station.Scope);
            unit.Clear();
            if (station.UnitId.Length == 12 && Convert.FromHexString(station.UnitId) is { Length: 6 } raw)
            {
                raw.CopyTo(unit);
            }

            writer.Raw(unit);
            writer.U16((ushort)Math.Min(station.NameCount, ushort.MaxValue));
            writer.U16((ushort)Math.Min(station.SessionCount, ushort.MaxValue));
        }

        return writer.Written;
    }

    /// <summary>Reads a STATIONS result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonStationInfo>? ReadStations(ReadOnlySpan<byte> body)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U8(out byte count))
        {
            return null;
        }

        var list = new List<NetBiosDaemonStationInfo>(count);
        Span<byte> unit = stackalloc byte[6];
        for (int i = 0; i < count; i++)
        {
            if (!reader.U8(out byte lana) || !reader.Address(out var address) || !reader.U8(out byte nodeType) || nodeType > 3
                || !reader.Scope(out string scope) || reader.Remaining < 6)
            {
                return null;
            }

            for (int b = 0; b < 6; b++)
            {
                _ = reader.U8(out unit[b]);
            }

            if (!reader.U16(out ushort names) || !reader.U16(out ushort sessions))
            {
                return null;
            }

            list.Add(new NetBiosDaemonStationInfo(lana, address, (NodeType)nodeType, scope, Convert.ToHexString(unit), names, sessions));
        }

        return reader.Remaining == 0 ? list : null;
    }

    // ---- NAMES ----

    /// <summary>NAMES result: <c>count (u16) | truncated (u8) | name[count]</c>, each
    /// <c>lana (u8) | name | flags (u8: 1 group, 2 permanent) | state (u8) | ttl (u32 s) | conflict-owner (4) |
    /// holder (u8) | pid (i32) | uid (u32)</c>.</summary>
    public static ReadOnlyMemory<byte> Names(IReadOnlyList<NetBiosDaemonNameInfo> names)
    {
        var writer = new AdminWireWriter();
        var items = new AdminWireWriter();
        int count = 0;
        foreach (var name in names)
        {
            if (count == ushort.MaxValue || items.Length > MaxResultBody)
            {
                break;
            }

            items.U8(name.Lana);
            items.Name(name.Name);
            items.U8((byte)((name.IsGroup ? 1 : 0) | (name.IsPermanent ? 2 : 0)));
            items.U8((byte)name.State);
            items.U32(Seconds(name.Ttl));
            items.Address(name.ConflictOwner);
            items.U8((byte)name.Holder);
            items.I32(name.ProcessId);
            items.U32(name.UserId);
            count++;
        }

        writer.U16((ushort)count);
        writer.U8(count < names.Count ? (byte)1 : (byte)0);
        writer.Raw(items.Written.Span);
        return writer.Written;
    }

    /// <summary>Reads a NAMES result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonNameInfo>? ReadNames(ReadOnlySpan<byte> body)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U16(out ushort count) || !reader.U8(out _) || reader.Remaining / 32 < count)
        {
            return null;
        }

        var list = new List<NetBiosDaemonNameInfo>(count);
        for (int i = 0; i < count; i++)
        {
            if (!reader.U8(out byte lana) || !reader.Name(out var name) || !reader.U8(out byte flags) || !reader.U8(out byte state)
                || state > (byte)LocalNameState.Conflict || !reader.U32(out uint ttl) || !reader.Address(out var owner)
                || !reader.U8(out byte holder) || holder > 2 || !reader.I32(out int pid) || !reader.U32(out uint uid))
            {
                return null;
            }

            list.Add(new NetBiosDaemonNameInfo(lana, name, (flags & 1) != 0, (flags & 2) != 0, (LocalNameState)state, TimeSpan.FromSeconds(ttl),
                owner.Equals(IPAddress.Any) ? null : owner, (NetBiosDaemonNameHolder)holder, pid, uid));
        }

        return reader.Remaining == 0 ? list : null;
    }

    // ---- SESSIONS ----

    /// <summary>SESSIONS result: <c>count (u16) | truncated (u8) | session[count]</c>, each
    /// <c>lana (u8) | id (i32) | local-name | remote-name | remote-endpoint (4 + u16) | state (u8) | flags (u8: 1 caller) |
    /// pending-receives (i32) | pending-sends (i32) | holder (u8) | pid (i32) | uid (u32)</c>.</summary>
    public static ReadOnlyMemory<byte> Sessions(IReadOnlyList<NetBiosDaemonSessionInfo> sessions)
    {
        var writer = new AdminWireWriter();
        var items = new AdminWireWriter();
        int count = 0;
        foreach (var session in sessions)
        {
            if (count == ushort.MaxValue || items.Length > MaxResultBody)
            {
                break;
            }

            items.U8(session.Lana);
            items.I32(session.Id);
            items.Name(session.LocalName);
            items.Name(session.RemoteName);
            items.EndPoint(session.RemoteEndPoint);
            items.U8((byte)session.State);
            items.U8(session.IsCaller ? (byte)1 : (byte)0);
            items.I32(session.PendingReceives);
            items.I32(session.PendingSends);
            items.U8((byte)session.Holder);
            items.I32(session.ProcessId);
            items.U32(session.UserId);
            count++;
        }

        writer.U16((ushort)count);
        writer.U8(count < sessions.Count ? (byte)1 : (byte)0);
        writer.Raw(items.Written.Span);
        return writer.Written;
    }

    /// <summary>Reads a SESSIONS result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonSessionInfo>? ReadSessions(ReadOnlySpan<byte> body)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U16(out ushort count) || !reader.U8(out _) || reader.Remaining / 64 < count)
        {
            return null;
        }

        var list = new List<NetBiosDaemonSessionInfo>(count);
        for (int i = 0; i < count; i++)
        {
            if (!reader.U8(out byte lana) || !reader.I32(out int id) || !reader.Name(out var local) || !reader.Name(out var remote)
                || !reader.EndPoint(out var endPoint) || !reader.U8(out byte state) || !Enum.IsDefined((SessionState)state)
                || !reader.U8(out byte flags) || !reader.I32(out int receives) || !reader.I32(out int sends)
                || !reader.U8(out byte holder) || holder > 2 || !reader.I32(out int pid) || !reader.U32(out uint uid))
            {
                return null;
            }

            list.Add(new NetBiosDaemonSessionInfo(lana, id, local, remote, endPoint, (SessionState)state, (flags & 1) != 0, receives, sends,
                (NetBiosDaemonNameHolder)holder, pid, uid));
        }

        return reader.Remaining == 0 ? list : null;
    }

    // ---- CACHE ----

    /// <summary>CACHE result: <c>count (u16) | truncated (u8) | entry[count]</c>, each
    /// <c>lana (u8) | name | flags (u8: 1 negative, 2 permanent) | expires-in (u32 s, 0xFFFFFFFF permanent) |
    /// answers (u8) | answer[answers]</c>, each answer <c>address (4) | flags (u8: 1 group) | node-type (u8) | source (u8)</c>.</summary>
    public static ReadOnlyMemory<byte> Cache(IReadOnlyList<NetBiosDaemonCacheEntry> entries)
    {
        var writer = new AdminWireWriter();
        var items = new AdminWireWriter();
        int count = 0;
        foreach (var entry in entries)
        {
            if (count == ushort.MaxValue || items.Length > MaxResultBody)
            {
                break;
            }

            items.U8(entry.Lana);
            items.Name(entry.Name);
            items.U8((byte)((entry.IsNegative ? 1 : 0) | (entry.IsPermanent ? 2 : 0)));
            items.U32(entry.IsPermanent ? NoTtl : Seconds(entry.ExpiresIn));
            var answers = entry.Answers.Take(255).ToList();
            items.U8((byte)answers.Count);
            foreach (var answer in answers)
            {
                items.Address(answer.Address);
                items.U8(answer.IsGroup ? (byte)1 : (byte)0);
                items.U8((byte)answer.NodeType);
                items.U8((byte)answer.Source);
            }

            count++;
        }

        writer.U16((ushort)count);
        writer.U8(count < entries.Count ? (byte)1 : (byte)0);
        writer.Raw(items.Written.Span);
        return writer.Written;
    }

    /// <summary>Reads a CACHE result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonCacheEntry>? ReadCache(ReadOnlySpan<byte> body)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U16(out ushort count) || !reader.U8(out _) || reader.Remaining / 23 < count)
        {
            return null;
        }

        var list = new List<NetBiosDaemonCacheEntry>(count);
        for (int i = 0; i < count; i++)
        {
            if (!reader.U8(out byte lana) || !reader.Name(out var name) || !reader.U8(out byte flags) || !reader.U32(out uint expires)
                || !reader.U8(out byte answerCount) || reader.Remaining / 7 < answerCount)
            {
                return null;
            }

            var answers = new List<NameQueryAnswer>(answerCount);
            for (int a = 0; a < answerCount; a++)
            {
                if (!reader.Address(out var address) || !reader.U8(out byte answerFlags) || !reader.U8(out byte nodeType) || nodeType > 3
                    || !reader.U8(out byte source) || !Enum.IsDefined((ResolveSource)source))
                {
                    return null;
                }

                answers.Add(new NameQueryAnswer(address, (answerFlags & 1) != 0, (NodeType)nodeType, TimeSpan.Zero, null, (ResolveSource)source));
            }

            bool permanent = (flags & 2) != 0;
            list.Add(new NetBiosDaemonCacheEntry(lana, name, answers, (flags & 1) != 0, permanent,
                permanent || expires == NoTtl ? TimeSpan.MaxValue : TimeSpan.FromSeconds(expires)));
        }

        return reader.Remaining == 0 ? list : null;
    }

    // ---- CACHE PURGE ----

    /// <summary>CACHE PURGE result: <c>count (u8) | (lana (u8) | purged (u32) | preloaded (u32))[count]</c>.</summary>
    public static ReadOnlyMemory<byte> CachePurge(IReadOnlyList<NetBiosDaemonCachePurgeResult> results)
    {
        var writer = new AdminWireWriter();
        writer.U8((byte)Math.Min(results.Count, 255));
        foreach (var result in results.Take(255))
        {
            writer.U8(result.Lana);
            writer.U32((uint)result.Purged);
            writer.U32((uint)result.Preloaded);
        }

        return writer.Written;
    }

    /// <summary>Reads a CACHE PURGE result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonCachePurgeResult>? ReadCachePurge(ReadOnlySpan<byte> body)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U8(out byte count) || reader.Remaining != count * 9)
        {
            return null;
        }

        var list = new List<NetBiosDaemonCachePurgeResult>(count);
        for (int i = 0; i < count; i++)
        {
            _ = reader.U8(out byte lana) & reader.U32(out uint purged) & reader.U32(out uint preloaded);
            list.Add(new NetBiosDaemonCachePurgeResult(lana, (int)Math.Min(purged, int.MaxValue), (int)Math.Min(preloaded, int.MaxValue)));
        }

        return list;
    }

    // ---- STATS ----

    /// <summary>STATS result: <c>count (u16) | truncated (u8) | sample[count]</c>, each
    /// <c>instrument (text) | unit (text) | kind (u8: 0 counter, 1 gauge) | value (i64) | tags (u8) | tag[tags]</c>, each tag
    /// <c>key (text) | type (u8: 0 none, 1 text, 2 i64) | value</c>.</summary>
    public static ReadOnlyMemory<byte> Stats(IReadOnlyList<NetBiosMetricSample> samples)
    {
        var writer = new AdminWireWriter();
        var items = new AdminWireWriter();
        int count = 0;
        foreach (var sample in samples)
        {
            if (count == ushort.MaxValue || items.Length > MaxResultBody)
            {
                break;
            }

            items.Text(sample.Instrument);
            items.Text(sample.Unit);
            items.U8((byte)sample.Kind);
            items.I64(sample.Value);
            var tags = sample.Tags.Take(255).ToList();
            items.U8((byte)tags.Count);
            foreach (var tag in tags)
            {
                items.Text(tag.Key);
                switch (tag.Value)
                {
                    case null:
                        items.U8(0);
                        break;
                    case int or long or short or byte or sbyte or ushort or uint:
                        items.U8(2);
                        items.I64(Convert.ToInt64(tag.Value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    default:
                        items.U8(1);
                        items.Text(Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            count++;
        }

        writer.U16((ushort)count);
        writer.U8(count < samples.Count ? (byte)1 : (byte)0);
        writer.Raw(items.Written.Span);
        return writer.Written;
    }

    /// <summary>Reads a STATS result (null when malformed). Integer tags read as <see cref="long"/>.</summary>
    public static IReadOnlyList<NetBiosMetricSample>? ReadStats(ReadOnlySpan<byte> body)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U16(out ushort count) || !reader.U8(out _) || reader.Remaining / 12 < count)
        {
            return null;
        }

        var list = new List<NetBiosMetricSample>(count);
        for (int i = 0; i < count; i++)
        {
            if (!reader.Text(out string instrument) || !reader.Text(out string unit) || !reader.U8(out byte kind) || kind > 1
                || !reader.I64(out long value) || !reader.U8(out byte tagCount) || reader.Remaining / 2 < tagCount)
            {
                return null;
            }

            var tags = new KeyValuePair<string, object?>[tagCount];
            for (int t = 0; t < tagCount; t++)
            {
                if (!reader.Text(out string key) || !reader.U8(out byte type))
                {
                    return null;
                }

                object? tagValue;
                switch (type)
                {
                    case 0:
                        tagValue = null;
                        break;
                    case 1 when reader.Text(out string text):
                        tagValue = text;
                        break;
                    case 2 when reader.I64(out long number):
                        tagValue = number;
                        break;
                    default:
                        return null;
                }

                tags[t] = new(key, tagValue);
            }

            list.Add(new NetBiosMetricSample(instrument, unit, (NetBiosMetricKind)kind, value, tags));
        }

        return reader.Remaining == 0 ? list : null;
    }

    // ---- HOLD NAME / RELEASE HELD NAME ----

    /// <summary>HOLD NAME result: <c>outcome (u8) | owner (4) | rcode (u8, 0xFF none) | ttl (u32 s) | responded-by (4 + u16)</c>.</summary>
    public static ReadOnlyMemory<byte> Hold(NameRegistrationResult result)
    {
        var writer = new AdminWireWriter();
        writer.U8((byte)result.Outcome);
        writer.Address(result.Owner);
        writer.U8(result.Rcode is { } rcode ? (byte)rcode : NoRcode);
        writer.U32(Seconds(result.Ttl));
        writer.EndPoint(result.RespondedBy);
        return writer.Written;
    }

    /// <summary>Reads a HOLD NAME result for <paramref name="name"/> (null when malformed).</summary>
    public static NameRegistrationResult? ReadHold(ReadOnlySpan<byte> body, NetBiosName name)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U8(out byte outcome) || outcome > (byte)RegistrationOutcome.Timeout || !reader.Address(out var owner)
            || !reader.U8(out byte rcode) || !reader.U32(out uint ttl) || !reader.EndPoint(out var by) || reader.Remaining != 0)
        {
            return null;
        }

        return new NameRegistrationResult(name, (RegistrationOutcome)outcome, owner.Equals(IPAddress.Any) ? null : owner,
            rcode == NoRcode ? null : (NameServiceRcode)rcode, TimeSpan.FromSeconds(ttl), by);
    }

    /// <summary>RELEASE HELD NAME result: <c>outcome (u8) | rcode (u8, 0xFF none) | server (4 + u16)</c>.</summary>
    public static ReadOnlyMemory<byte> Release(NameReleaseResult result)
    {
        var writer = new AdminWireWriter();
        writer.U8((byte)result.Outcome);
        writer.U8(result.Rcode is { } rcode ? (byte)rcode : NoRcode);
        writer.EndPoint(result.Server);
        return writer.Written;
    }

    /// <summary>Reads a RELEASE HELD NAME result for <paramref name="name"/> (null when malformed).</summary>
    public static NameReleaseResult? ReadRelease(ReadOnlySpan<byte> body, NetBiosName name)
    {
        var reader = new AdminWireReader(body);
        if (!reader.U8(out byte outcome) || outcome > (byte)ReleaseOutcome.Broadcast || !reader.U8(out byte rcode)
            || !reader.EndPoint(out var server) || reader.Remaining != 0)
        {
            return null;
        }

        return new NameReleaseResult(name, (ReleaseOutcome)outcome, rcode == NoRcode ? null : (NameServiceRcode)rcode, server);
    }

    private static uint Seconds(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : span.TotalSeconds >= uint.MaxValue - 1 ? uint.MaxValue - 1 : (uint)span.TotalSeconds;
}
