using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;

// Compiled into both store assemblies; each keeps its own internal copy in its own namespace, so that an assembly
// seeing both (the tests, through InternalsVisibleTo) has no ambiguity.
#if WINS_STORE_POSTGRESQL
namespace NetBios.NameServer.PostgreSql.Storage;
#else
namespace NetBios.NameServer.Storage;
#endif

/// <summary>
/// The byte layouts the database stores use for what has no native column type: addresses (4 or 16 bytes, network
/// order) and the member list of a record. Shared by the SQLite and PostgreSQL stores (the PostgreSQL project links
/// this file). Decoding never throws: a malformed value is reported as false with a reason, and nothing is allocated
/// from a stored length before it is checked against the bytes present.
/// </summary>
/// <remarks>
/// Member list (<c>addresses</c> column), one entry after another, nothing before or after:
/// <code>
/// +--------+----------------+---------+----------------+-------------------------------+
/// | alen:1 | address: alen  | olen:1  | owner: olen    | expires: 8 (UTC ticks, BE)    |
/// +--------+----------------+---------+----------------+-------------------------------+
/// </code>
/// alen and olen are 4 (IPv4) or 16 (IPv6). At most <see cref="MaxMembers"/> entries.
/// </remarks>
internal static class WinsRecordCodec
{
    /// <summary>The most members a stored list may hold (special groups keep 25; multi-homed names a few).</summary>
    public const int MaxMembers = 1024;

    /// <summary>The bytes of an address: 4 for IPv4, 16 for IPv6.</summary>
    public static byte[] EncodeAddress(IPAddress address) => address.GetAddressBytes();

    /// <summary>Reads an address stored by <see cref="EncodeAddress"/>.</summary>
    public static bool TryDecodeAddress(ReadOnlySpan<byte> bytes, out IPAddress? address)
    {
        if (bytes.Length is not (4 or 16))
        {
            address = null;
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>Encodes a member list.</summary>
    public static byte[] EncodeMembers(ImmutableArray<WinsAddress> members)
    {
        if (members.IsDefaultOrEmpty)
        {
            return [];
        }

        int length = 0;
        foreach (var member in members)
        {
            length += 2 + 8 + AddressLength(member.Address) + AddressLength(member.Owner);
        }

        var bytes = new byte[length];
        int offset = 0;
        foreach (var member in members)
        {
            offset += WriteAddress(bytes.AsSpan(offset), member.Address);
            offset += WriteAddress(bytes.AsSpan(offset), member.Owner);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(offset), member.Expires.UtcTicks);
            offset += 8;
        }

        return bytes;
    }

    /// <summary>Decodes a member list; false with a reason when the bytes are not one.</summary>
    /// <param name="bytes">The stored value.</param>
    /// <param name="ownerCache">Interns owner addresses (most records share one owner), or null.</param>
    /// <param name="members">The members.</param>
    /// <param name="error">Why the bytes are not a member list.</param>
    public static bool TryDecodeMembers(ReadOnlySpan<byte> bytes, Dictionary<UInt128, IPAddress>? ownerCache, out ImmutableArray<WinsAddress> members, out string? error)
    {
        members = [];
        error = null;
        if (bytes.IsEmpty)
        {
            return true;
        }

        // Count first (bounded by MaxMembers) so the builder is sized from entries present, never from a length field.
        int count = 0;
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (!TrySkipMember(bytes[offset..], out int used))
            {
                error = $"member list malformed at byte {offset}";
                return false;
            }

            offset += used;
            if (++count > MaxMembers)
            {
                error = $"more than {MaxMembers} members";
                return false;
            }
        }

        var builder = ImmutableArray.CreateBuilder<WinsAddress>(count);
        offset = 0;
        for (int i = 0; i < count; i++)
        {
            var address = ReadAddress(bytes, ref offset, null);
            var owner = ReadAddress(bytes, ref offset, ownerCache);
            long ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[offset..]);
            offset += 8;
            if (!TryTicks(ticks, out var expires))
            {
                error = $"member {i} has an expiry out of range";
                return false;
            }

            builder.Add(new WinsAddress(address, owner, expires));
        }

        members = builder.MoveToImmutable();
        return true;
    }

    /// <summary>A UTC tick count as a time, false when out of range.</summary>
    public static bool TryTicks(long ticks, out DateTimeOffset value)
    {
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            value = default;
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>An address, interned in <paramref name="cache"/> when one is given.</summary>
    public static IPAddress Intern(ReadOnlySpan<byte> bytes, Dictionary<UInt128, IPAddress>? cache)
    {
        if (cache is null || bytes.Length != 4)
        {
            return new IPAddress(bytes);
        }

        UInt128 key = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (!cache.TryGetValue(key, out var address))
        {
            address = new IPAddress(bytes);
            if (cache.Count < 4096)
            {
                cache[key] = address;
            }
        }

        return address;
    }

    private static int AddressLength(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 16 : 4;

    private static int WriteAddress(Span<byte> destination, IPAddress address)
    {
        int length = AddressLength(address);
        destination[0] = (byte)length;
        if (!address.TryWriteBytes(destination.Slice(1, length), out _))
        {
            throw new ArgumentException($"address {address} cannot be stored", nameof(address));
        }

        return 1 + length;
    }

    private static bool TrySkipMember(ReadOnlySpan<byte> bytes, out int used)
    {
        used = 0;
        for (int part = 0; part < 2; part++)
        {
            if (used >= bytes.Length || bytes[used] is not (4 or 16) || bytes.Length - used - 1 < bytes[used])
            {
                return false;
            }

            used += 1 + bytes[used];
        }

        if (bytes.Length - used < 8)
        {
            return false;
        }

        used += 8;
        return true;
    }

    private static IPAddress ReadAddress(ReadOnlySpan<byte> bytes, ref int offset, Dictionary<UInt128, IPAddress>? cache)
    {
        int length = bytes[offset];
        var address = Intern(bytes.Slice(offset + 1, length), cache);
        offset += 1 + length;
        return address;
    }
}
