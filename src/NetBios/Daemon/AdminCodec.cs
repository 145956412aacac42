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
/// any list is sized from them. The fields are encoded as in the station operations (<see cref="StationBodyWriter"/> /
/// <see cref="StationBodyReader"/>: addr, ep, name, text with a u16 length), the one body codec of the protocol.
/// </summary>
internal static class AdminCodec
{
    /// <summary>The largest result body the daemon builds: lists stop (truncated flag) before they would pass it.</summary>
    public const int MaxResultBody = 192 * 1024;

    private const uint NoTtl = uint.MaxValue;

    /// <summary>Bytes one STATIONS entry takes at least (lana, empty addr, node type, empty scope, unit id, two u16).</summary>
    private const int MinStation = 1 + 1 + 1 + 1 + 6 + 2 + 2;

    /// <summary>Bytes one NAMES entry takes at least (lana, name without scope, flags, state, ttl, empty addr, holder, pid, uid).</summary>
    private const int MinName = 1 + NetBiosName.Length + 1 + 1 + 1 + 4 + 1 + 1 + 4 + 4 + 4 + 4;

    /// <summary>Bytes one SESSIONS entry takes at least.</summary>
    private const int MinSession = 1 + 4 + (2 * (NetBiosName.Length + 1)) + 1 + 1 + 1 + 4 + 4 + 1 + 4 + 4 + (4 * 8);

    /// <summary>Bytes one CACHE entry takes at least (lana, name without scope, flags, expires-in, answer count).</summary>
    private const int MinCacheEntry = 1 + NetBiosName.Length + 1 + 1 + 4 + 1;

    /// <summary>Bytes one CACHE answer takes at least (empty addr, flags, node type, source).</summary>
    private const int MinCacheAnswer = 1 + 1 + 1 + 1;

    /// <summary>Bytes one STATS sample takes at least (two empty texts, kind, value, tag count).</summary>
    private const int MinSample = 2 + 2 + 1 + 8 + 1;

    /// <summary>Bytes one STATS tag takes at least (empty key, type 0).</summary>
    private const int MinTag = 2 + 1;

    /// <summary>Bytes one CACHE PURGE entry takes.</summary>
    private const int PurgeEntry = 1 + 4 + 4;

    // ---- requests ----

    /// <summary>A request body that is one LANA byte (NAMES, SESSIONS, CACHE, CACHE PURGE; 0xFF = every LANA).</summary>
    public static byte[] LanaRequest(byte lana) => [lana];

    /// <summary>Reads a one-LANA request body.</summary>
    public static bool TryReadLanaRequest(ReadOnlySpan<byte> body, out byte lana)
    {
        var reader = new StationBodyReader(body);
        lana = reader.U8();
        return reader.Complete;
    }

    /// <summary>HOLD NAME request: <c>lana u8 | flags u8 (1 = group) | name</c>.</summary>
    public static ReadOnlyMemory<byte> HoldRequest(byte lana, NetBiosName name, bool isGroup) =>
        new StationBodyWriter().U8(lana).Bool(isGroup).Name(name).Written;

    /// <summary>Reads a HOLD NAME request.</summary>
    public static bool TryReadHoldRequest(ReadOnlySpan<byte> body, out byte lana, out NetBiosName name, out bool isGroup)
    {
        var reader = new StationBodyReader(body);
        lana = reader.U8();
        isGroup = reader.Bool();
        name = reader.Name();
        return reader.Complete;
    }

    /// <summary>RELEASE HELD NAME request: <c>lana u8 | name</c>.</summary>
    public static ReadOnlyMemory<byte> ReleaseRequest(byte lana, NetBiosName name) => new StationBodyWriter().U8(lana).Name(name).Written;

    /// <summary>Reads a RELEASE HELD NAME request.</summary>
    public static bool TryReadReleaseRequest(ReadOnlySpan<byte> body, out byte lana, out NetBiosName name)
    {
        var reader = new StationBodyReader(body);
        lana = reader.U8();
        name = reader.Name();
        return reader.Complete;
    }

    // ---- STATIONS ----

    /// <summary>STATIONS result: <c>count u8 | station[count]</c>, each
    /// <c>lana u8 | address addr | node-type u8 | scope | unit-id (6) | names u16 | sessions u16</c>.</summary>
    public static ReadOnlyMemory<byte> Stations(IReadOnlyList<NetBiosDaemonStationInfo> stations)
    {
        var writer = new StationBodyWriter();
        writer.U8((byte)Math.Min(stations.Count, 255));
        Span<byte> unit = stackalloc byte[6];
        foreach (var station in stations.Take(255))
        {
            unit.Clear();
            if (station.UnitId.Length == 12 && Convert.FromHexString(station.UnitId) is { Length: 6 } raw)
            {
                raw.CopyTo(unit);
            }

            writer.U8(station.Lana).Address(station.Address).U8((byte)station.NodeType).Scope(station.Scope).Bytes(unit)
                .U16((ushort)Math.Min(station.NameCount, ushort.MaxValue))
                .U16((ushort)Math.Min(station.SessionCount, ushort.MaxValue));
        }

        return writer.Written;
    }

    /// <summary>Reads a STATIONS result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonStationInfo>? ReadStations(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        int count = reader.U8();
        if (!reader.Ok || reader.Remaining / MinStation < count)
        {
            return null;
        }

        var list = new List<NetBiosDaemonStationInfo>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            byte lana = reader.U8();
            var address = reader.Address();
            var nodeType = reader.Enum<NodeType>();
            string scope = reader.Scope();
            string unit = Convert.ToHexString(reader.Take(6));
            ushort names = reader.U16();
            ushort sessions = reader.U16();
            if (address is null)
            {
                reader.Fail();
            }

            if (reader.Ok)
            {
                list.Add(new NetBiosDaemonStationInfo(lana, address!, nodeType, scope, unit, names, sessions));
            }
        }

        return reader.Complete ? list : null;
    }

    // ---- NAMES ----

    /// <summary>NAMES result: <c>count u16 | truncated u8 | name[count]</c>, each
    /// <c>lana u8 | name | flags u8 (1 group, 2 permanent) | state u8 | ttl u32 (s) | conflict-owner addr |
    /// holder u8 | pid i32 | uid u32 | ttl-left u32 (s) | next-refresh u32 (s)</c> (0xFFFFFFFF: none).</summary>
    public static ReadOnlyMemory<byte> Names(IReadOnlyList<NetBiosDaemonNameInfo> names) =>
        List(names, static (items, name) => items
            .U8(name.Lana)
            .Name(name.Name)
            .U8((byte)((name.IsGroup ? 1 : 0) | (name.IsPermanent ? 2 : 0)))
            .U8((byte)name.State)
            .U32(Seconds(name.Ttl))
            .Address(name.ConflictOwner)
            .U8((byte)name.Holder)
            .I32(name.ProcessId)
            .U32(name.UserId)
            .U32(OptionalSeconds(name.TtlLeft))
            .U32(OptionalSeconds(name.NextRefresh)));

    /// <summary>Reads a NAMES result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonNameInfo>? ReadNames(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        int count = ListHeader(ref reader, MinName);
        var list = new List<NetBiosDaemonNameInfo>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            byte lana = reader.U8();
            var name = reader.Name();
            byte flags = Flags(ref reader, 3);
            var state = reader.Enum<LocalNameState>();
            uint ttl = reader.U32();
            var owner = reader.Address();
            var holder = reader.Enum<NetBiosDaemonNameHolder>();
            int pid = reader.I32();
            uint uid = reader.U32();
            var ttlLeft = OptionalSeconds(reader.U32());
            var nextRefresh = OptionalSeconds(reader.U32());
            if (reader.Ok)
            {
                list.Add(new NetBiosDaemonNameInfo(lana, name, (flags & 1) != 0, (flags & 2) != 0, state, TimeSpan.FromSeconds(ttl), owner, holder, pid, uid,
                    ttlLeft, nextRefresh));
            }
        }

        return reader.Complete ? list : null;
    }

    // ---- SESSIONS ----

    /// <summary>SESSIONS result: <c>count u16 | truncated u8 | session[count]</c>, each
    /// <c>lana u8 | id i32 | local-name | remote-name | remote ep | state u8 | flags u8 (1 caller) |
    /// pending-receives i32 | pending-sends i32 | holder u8 | pid i32 | uid u32 | messages-sent i64 | bytes-sent i64 |
    /// messages-received i64 | bytes-received i64</c>.</summary>
    public static ReadOnlyMemory<byte> Sessions(IReadOnlyList<NetBiosDaemonSessionInfo> sessions) =>
        List(sessions, static (items, session) => items
            .U8(session.Lana)
            .I32(session.Id)
            .Name(session.LocalName)
            .Name(session.RemoteName)
            .EndPoint(session.RemoteEndPoint)
            .U8((byte)session.State)
            .Bool(session.IsCaller)
            .I32(session.PendingReceives)
            .I32(session.PendingSends)
            .U8((byte)session.Holder)
            .I32(session.ProcessId)
            .U32(session.UserId)
            .I64(session.MessagesSent)
            .I64(session.BytesSent)
            .I64(session.MessagesReceived)
            .I64(session.BytesReceived));

    /// <summary>Reads a SESSIONS result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonSessionInfo>? ReadSessions(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        int count = ListHeader(ref reader, MinSession);
        var list = new List<NetBiosDaemonSessionInfo>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            byte lana = reader.U8();
            int id = reader.I32();
            var local = reader.Name();
            var remote = reader.Name();
            var endPoint = reader.EndPoint();
            var state = reader.Enum<SessionState>();
            bool caller = reader.Bool();
            int receives = reader.I32();
            int sends = reader.I32();
            var holder = reader.Enum<NetBiosDaemonNameHolder>();
            int pid = reader.I32();
            uint uid = reader.U32();
            long messagesSent = reader.I64();
            long bytesSent = reader.I64();
            long messagesReceived = reader.I64();
            long bytesReceived = reader.I64();
            if (reader.Ok)
            {
                list.Add(new NetBiosDaemonSessionInfo(lana, id, local, remote, endPoint, state, caller, receives, sends, holder, pid, uid,
                    messagesSent, bytesSent, messagesReceived, bytesReceived));
            }
        }

        return reader.Complete ? list : null;
    }

    // ---- CACHE ----

    /// <summary>CACHE result: <c>count u16 | truncated u8 | entry[count]</c>, each
    /// <c>lana u8 | name | flags u8 (1 negative, 2 permanent) | expires-in u32 (s, 0xFFFFFFFF permanent) |
    /// answers u8 | answer[answers]</c>, each answer <c>address addr | flags u8 (1 group) | node-type u8 | source u8</c>.</summary>
    public static ReadOnlyMemory<byte> Cache(IReadOnlyList<NetBiosDaemonCacheEntry> entries) =>
        List(entries, static (items, entry) =>
        {
            items.U8(entry.Lana)
                .Name(entry.Name)
                .U8((byte)((entry.IsNegative ? 1 : 0) | (entry.IsPermanent ? 2 : 0)))
                .U32(entry.IsPermanent ? NoTtl : Seconds(entry.ExpiresIn));
            int answers = Math.Min(entry.Answers.Count, 255);
            items.U8((byte)answers);
            for (int a = 0; a < answers; a++)
            {
                var answer = entry.Answers[a];
                items.Address(answer.Address).Bool(answer.IsGroup).U8((byte)answer.NodeType).U8((byte)answer.Source);
            }

            return items;
        });

    /// <summary>Reads a CACHE result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonCacheEntry>? ReadCache(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        int count = ListHeader(ref reader, MinCacheEntry);
        var list = new List<NetBiosDaemonCacheEntry>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            byte lana = reader.U8();
            var name = reader.Name();
            byte flags = Flags(ref reader, 3);
            uint expires = reader.U32();
            int answerCount = reader.U8();
            if (!reader.Ok || reader.Remaining / MinCacheAnswer < answerCount)
            {
                return null;
            }

            var answers = new List<NameQueryAnswer>(answerCount);
            for (int a = 0; a < answerCount && reader.Ok; a++)
            {
                var address = reader.Address();
                bool group = reader.Bool();
                var nodeType = reader.Enum<NodeType>();
                var source = reader.Enum<ResolveSource>();
                if (address is null)
                {
                    reader.Fail();
                }

                if (reader.Ok)
                {
                    answers.Add(new NameQueryAnswer(address!, group, nodeType, TimeSpan.Zero, null, source));
                }
            }

            bool permanent = (flags & 2) != 0;
            if (reader.Ok)
            {
                list.Add(new NetBiosDaemonCacheEntry(lana, name, answers, (flags & 1) != 0, permanent,
                    permanent || expires == NoTtl ? TimeSpan.MaxValue : TimeSpan.FromSeconds(expires)));
            }
        }

        return reader.Complete ? list : null;
    }

    // ---- CACHE PURGE ----

    /// <summary>CACHE PURGE result: <c>count u8 | (lana u8 | purged u32 | preloaded u32)[count]</c>.</summary>
    public static ReadOnlyMemory<byte> CachePurge(IReadOnlyList<NetBiosDaemonCachePurgeResult> results)
    {
        var writer = new StationBodyWriter();
        writer.U8((byte)Math.Min(results.Count, 255));
        foreach (var result in results.Take(255))
        {
            writer.U8(result.Lana).U32((uint)Math.Max(0, result.Purged)).U32((uint)Math.Max(0, result.Preloaded));
        }

        return writer.Written;
    }

    /// <summary>Reads a CACHE PURGE result (null when malformed).</summary>
    public static IReadOnlyList<NetBiosDaemonCachePurgeResult>? ReadCachePurge(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        int count = reader.U8();
        if (!reader.Ok || reader.Remaining != count * PurgeEntry)
        {
            return null;
        }

        var list = new List<NetBiosDaemonCachePurgeResult>(count);
        for (int i = 0; i < count; i++)
        {
            byte lana = reader.U8();
            uint purged = reader.U32();
            uint preloaded = reader.U32();
            list.Add(new NetBiosDaemonCachePurgeResult(lana, (int)Math.Min(purged, int.MaxValue), (int)Math.Min(preloaded, int.MaxValue)));
        }

        return reader.Complete ? list : null;
    }

    // ---- STATS ----

    /// <summary>STATS result: <c>count u16 | truncated u8 | sample[count]</c>, each
    /// <c>instrument text | unit text | kind u8 (0 counter, 1 gauge) | value i64 | tags u8 | tag[tags]</c>, each tag
    /// <c>key text | type u8 (0 none, 1 text, 2 i64) | value</c>.</summary>
    public static ReadOnlyMemory<byte> Stats(IReadOnlyList<NetBiosMetricSample> samples) =>
        List(samples, static (items, sample) =>
        {
            items.Text(sample.Instrument).Text(sample.Unit).U8((byte)sample.Kind).I64(sample.Value);
            int tags = Math.Min(sample.Tags.Count, 255);
            items.U8((byte)tags);
            for (int t = 0; t < tags; t++)
            {
                var tag = sample.Tags[t];
                items.Text(tag.Key);
                _ = tag.Value switch
                {
                    null => items.U8(0),
                    int or long or short or byte or sbyte or ushort or uint =>
                        items.U8(2).I64(Convert.ToInt64(tag.Value, System.Globalization.CultureInfo.InvariantCulture)),
                    _ => items.U8(1).Text(Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture)),
                };
            }

            return items;
        });

    /// <summary>Reads a STATS result (null when malformed). Integer tags read as <see cref="long"/>.</summary>
    public static IReadOnlyList<NetBiosMetricSample>? ReadStats(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        int count = ListHeader(ref reader, MinSample);
        var list = new List<NetBiosMetricSample>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            string instrument = reader.Text();
            string unit = reader.Text();
            var kind = reader.Enum<NetBiosMetricKind>();
            long value = reader.I64();
            int tagCount = reader.U8();
            if (!reader.Ok || reader.Remaining / MinTag < tagCount)
            {
                return null;
            }

            var tags = new KeyValuePair<string, object?>[tagCount];
            for (int t = 0; t < tagCount && reader.Ok; t++)
            {
                string key = reader.Text();
                object? tagValue = reader.U8() switch
                {
                    0 => null,
                    1 => reader.Text(),
                    2 => reader.I64(),
                    _ => Invalid(ref reader),
                };
                tags[t] = new(key, tagValue);
            }

            if (reader.Ok)
            {
                list.Add(new NetBiosMetricSample(instrument, unit, kind, value, tags));
            }
        }

        return reader.Complete ? list : null;
    }

    // ---- HOLD NAME / RELEASE HELD NAME ----

    /// <summary>HOLD NAME result: the ADD NAME result (<see cref="StationNameCodec.WriteRegistration"/>):
    /// <c>name | outcome u8 | owner addr | has-rcode u8 | rcode u8 | ttl u32 (s) | responded-by ep</c>.</summary>
    public static ReadOnlyMemory<byte> Hold(NameRegistrationResult result) => StationNameCodec.WriteRegistration(result);

    /// <summary>Reads a HOLD NAME result for <paramref name="name"/> (null when malformed, or for another name).</summary>
    public static NameRegistrationResult? ReadHold(ReadOnlySpan<byte> body, NetBiosName name) =>
        StationNameCodec.TryReadRegistration(body, out var result) && result!.Name == name ? result : null;

    /// <summary>RELEASE HELD NAME result: <c>outcome u8 | has-rcode u8 | rcode u8 | server ep</c>.</summary>
    public static ReadOnlyMemory<byte> Release(NameReleaseResult result) =>
        new StationBodyWriter().U8((byte)result.Outcome).Bool(result.Rcode.HasValue).U8((byte)(result.Rcode ?? 0)).EndPoint(result.Server).Written;

    /// <summary>Reads a RELEASE HELD NAME result for <paramref name="name"/> (null when malformed).</summary>
    public static NameReleaseResult? ReadRelease(ReadOnlySpan<byte> body, NetBiosName name)
    {
        var reader = new StationBodyReader(body);
        var outcome = reader.Enum<ReleaseOutcome>();
        bool hasRcode = reader.Bool();
        byte rcode = reader.U8();
        var server = reader.EndPoint();
        return reader.Complete ? new NameReleaseResult(name, outcome, hasRcode ? (NameServiceRcode)rcode : null, server) : null;
    }

    /// <summary>Writes <c>count u16 | truncated u8 | items</c>: items until 65535 of them or <see cref="MaxResultBody"/>.</summary>
    private static ReadOnlyMemory<byte> List<T>(IReadOnlyList<T> source, Func<StationBodyWriter, T, StationBodyWriter> write)
    {
        var items = new StationBodyWriter(256);
        int count = 0;
        foreach (var item in source)
        {
            if (count == ushort.MaxValue || items.Length > MaxResultBody)
            {
                break;
            }

            write(items, item);
            count++;
        }

        var writer = new StationBodyWriter(items.Length + 3);
        writer.U16((ushort)count).Bool(count < source.Count).Bytes(items.Written.Span);
        return writer.Written;
    }

    /// <summary>Reads <c>count u16 | truncated u8</c> and checks that <c>count</c> entries of at least
    /// <paramref name="minEntry"/> bytes can be there (else fails the reader and answers 0).</summary>
    private static int ListHeader(ref StationBodyReader reader, int minEntry)
    {
        int count = reader.U16();
        _ = reader.Bool();
        if (!reader.Ok || reader.Remaining / minEntry < count)
        {
            reader.Fail();
            return 0;
        }

        return count;
    }

    /// <summary>A flags byte with no bits outside <paramref name="defined"/> (else fails the reader).</summary>
    private static byte Flags(ref StationBodyReader reader, byte defined)
    {
        byte flags = reader.U8();
        if ((flags & ~defined) != 0)
        {
            reader.Fail();
        }

        return flags;
    }

    private static object? Invalid(ref StationBodyReader reader)
    {
        reader.Fail();
        return null;
    }

    private static uint OptionalSeconds(TimeSpan? span) => span is { } value ? Seconds(value) : NoTtl;

    private static TimeSpan? OptionalSeconds(uint seconds) => seconds == NoTtl ? null : TimeSpan.FromSeconds(seconds);

    private static uint Seconds(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : span.TotalSeconds >= uint.MaxValue - 1 ? uint.MaxValue - 1 : (uint)span.TotalSeconds;
}
