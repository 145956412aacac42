using System.Collections.Immutable;
using NetBios.NameServer;
using NetBios.Wire.NameService;

namespace NetBios.Daemon;

/// <summary>
/// The bodies of the WINS operations (docs/IPC.md "WINS operations (0x0220-0x022F)"): WINS LIST, WINS SHOW and WINS
/// DELETE, shared by the daemon and <see cref="NetBiosDaemonAdministration"/>. Same field encoding as every other body
/// (<see cref="StationBodyWriter"/> / <see cref="StationBodyReader"/>); decoders never throw (null / false for a body
/// without the layout) and check a count against the bytes left before sizing anything from it.
/// </summary>
/// <remarks>A record is <c>name | type u8 | state u8 | node-type u8 | flags u8 (1 static) | owner addr | version i64 |
/// expires i64 (Unix ms) | count u8 | (address addr | owner addr | expires i64)[count]</c>.</remarks>
internal static class WinsAdminCodec
{
    /// <summary>Bytes one record takes at least (name without scope, four bytes, empty owner, version, expires, count).</summary>
    private const int MinRecord = NetBiosName.Length + 1 + 4 + 1 + 8 + 8 + 1;

    /// <summary>Bytes one record address takes at least (two empty addrs, expires).</summary>
    private const int MinAddress = 1 + 1 + 8;

    // ---- requests ----

    /// <summary>WINS LIST request: <c>has-after flag | name</c> (the records after that name, by name bytes then scope).</summary>
    public static ReadOnlyMemory<byte> ListRequest(NetBiosName? after) => new StationBodyWriter().OptionalName(after).Written;

    /// <summary>Reads a WINS LIST request.</summary>
    public static bool TryReadListRequest(ReadOnlySpan<byte> body, out NetBiosName? after)
    {
        var reader = new StationBodyReader(body);
        after = reader.OptionalName();
        return reader.Complete;
    }

    /// <summary>WINS SHOW request: <c>name</c>.</summary>
    public static ReadOnlyMemory<byte> ShowRequest(NetBiosName name) => new StationBodyWriter().Name(name).Written;

    /// <summary>Reads a WINS SHOW request.</summary>
    public static bool TryReadShowRequest(ReadOnlySpan<byte> body, out NetBiosName name)
    {
        var reader = new StationBodyReader(body);
        name = reader.Name();
        return reader.Complete;
    }

    /// <summary>WINS DELETE request: <c>name | expected-version i64</c>.</summary>
    public static ReadOnlyMemory<byte> DeleteRequest(NetBiosName name, long expectedVersion) => new StationBodyWriter().Name(name).I64(expectedVersion).Written;

    /// <summary>Reads a WINS DELETE request.</summary>
    public static bool TryReadDeleteRequest(ReadOnlySpan<byte> body, out NetBiosName name, out long expectedVersion)
    {
        var reader = new StationBodyReader(body);
        name = reader.Name();
        expectedVersion = reader.I64();
        return reader.Complete;
    }

    // ---- results ----

    /// <summary>WINS LIST result: <c>max-version i64 | count u16 | more flag | record[count]</c>: the records in order
    /// until <see cref="AdminCodec.MaxResultBody"/> (or 65 535 of them); <c>more</c> when others follow the last one.</summary>
    public static ReadOnlyMemory<byte> List(long maxVersion, IReadOnlyList<WinsRecord> sorted)
    {
        var items = new StationBodyWriter(256);
        int count = 0;
        while (count < sorted.Count && count < ushort.MaxValue && items.Length <= AdminCodec.MaxResultBody)
        {
            Record(items, sorted[count++]);
        }

        var writer = new StationBodyWriter(items.Length + 11);
        writer.I64(maxVersion).U16((ushort)count).Bool(count < sorted.Count).Bytes(items.Written.Span);
        return writer.Written;
    }

    /// <summary>Reads a WINS LIST result (null when malformed).</summary>
    public static (long MaxVersion, IReadOnlyList<WinsRecord> Records, bool More)? ReadList(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        long maxVersion = reader.I64();
        int count = reader.U16();
        bool more = reader.Bool();
        if (!reader.Ok || reader.Remaining / MinRecord < count)
        {
            return null;
        }

        var records = new List<WinsRecord>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            if (ReadRecord(ref reader) is { } record)
            {
                records.Add(record);
            }
        }

        return reader.Complete ? (maxVersion, records, more) : null;
    }

    /// <summary>WINS SHOW result: <c>has-record flag | record</c> (absent: 0).</summary>
    public static ReadOnlyMemory<byte> Show(WinsRecord? record) => Optional(new StationBodyWriter(128), record).Written;

    /// <summary>Reads a WINS SHOW result: whether it is well formed, and the record (null when the name is absent).</summary>
    public static bool TryReadShow(ReadOnlySpan<byte> body, out WinsRecord? record)
    {
        var reader = new StationBodyReader(body);
        record = ReadOptional(ref reader);
        return reader.Complete;
    }

    /// <summary>WINS DELETE result: <c>deleted flag | has-record flag | record</c> — the record now when it was not
    /// deleted (changed meanwhile; absent: 0).</summary>
    public static ReadOnlyMemory<byte> Delete(WinsWriteResult result) => Optional(new StationBodyWriter(128).Bool(result.Succeeded), result.Record).Written;

    /// <summary>Reads a WINS DELETE result (null when malformed).</summary>
    public static WinsWriteResult? ReadDelete(ReadOnlySpan<byte> body)
    {
        var reader = new StationBodyReader(body);
        bool deleted = reader.Bool();
        var record = ReadOptional(ref reader);
        return reader.Complete ? new WinsWriteResult(deleted, record) : null;
    }

    private static StationBodyWriter Optional(StationBodyWriter writer, WinsRecord? record) =>
        record is null ? writer.Bool(false) : Record(writer.Bool(true), record);

    private static WinsRecord? ReadOptional(ref StationBodyReader reader) => reader.Bool() ? ReadRecord(ref reader) : null;

    private static StationBodyWriter Record(StationBodyWriter writer, WinsRecord record)
    {
        writer.Name(record.Name).U8((byte)record.Type).U8((byte)record.State).U8((byte)record.NodeType).Bool(record.IsStatic)
            .Address(record.Owner).I64(record.Version).I64(record.Expires.ToUnixTimeMilliseconds());
        var addresses = record.Addresses.IsDefault ? [] : record.Addresses;
        int count = Math.Min(addresses.Length, byte.MaxValue);
        writer.U8((byte)count);
        for (int i = 0; i < count; i++)
        {
            writer.Address(addresses[i].Address).Address(addresses[i].Owner).I64(addresses[i].Expires.ToUnixTimeMilliseconds());
        }

        return writer;
    }

    private static WinsRecord? ReadRecord(ref StationBodyReader reader)
    {
        var name = reader.Name();
        var type = reader.Enum<WinsRecordType>();
        var state = reader.Enum<WinsRecordState>();
        var nodeType = reader.Enum<NodeType>();
        bool isStatic = reader.Bool();
        var owner = reader.Address();
        long version = reader.I64();
        var expires = Time(ref reader);
        int count = reader.U8();
        if (!reader.Ok || owner is null || reader.Remaining / MinAddress < count)
        {
            reader.Fail();
            return null;
        }

        var addresses = ImmutableArray.CreateBuilder<WinsAddress>(count);
        for (int i = 0; i < count && reader.Ok; i++)
        {
            var address = reader.Address();
            var addressOwner = reader.Address();
            var addressExpires = Time(ref reader);
            if (address is null || addressOwner is null)
            {
                reader.Fail();
            }

            if (reader.Ok)
            {
                addresses.Add(new WinsAddress(address!, addressOwner!, addressExpires));
            }
        }

        return reader.Ok
            ? new WinsRecord
            {
                Name = name, Type = type, State = state, NodeType = nodeType, IsStatic = isStatic, Owner = owner, Version = version,
                Expires = expires, Addresses = addresses.DrainToImmutable(),
            }
            : null;
    }

    /// <summary>A Unix-milliseconds time; one outside <see cref="DateTimeOffset"/>'s range fails the reader.</summary>
    private static DateTimeOffset Time(ref StationBodyReader reader)
    {
        long milliseconds = reader.I64();
        if (milliseconds < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            reader.Fail();
            return default;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }
}
