using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>IPv4 address arithmetic (masks, prefixes, broadcast addresses) on host-order <see cref="uint"/> values.</summary>
/// <remarks>Shared source: NetBios.Testing compiles this file too (a linked <c>Compile</c> item), so that the in-memory
/// network uses the same arithmetic without reaching into NetBios's internals. Keep it self-contained.</remarks>
internal static class IPv4
{
    public static uint ToUInt32(IPAddress address)
    {
        RequireIPv4(address);
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static uint MaskBits(int prefixLength) => prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);

    public static IPAddress Mask(int prefixLength)
    {
        ValidatePrefix(prefixLength);
        return FromUInt32(MaskBits(prefixLength));
    }

    /// <summary>The prefix length of a contiguous mask such as 255.255.255.0.</summary>
    /// <exception cref="ArgumentException">The mask is not IPv4 or its one-bits are not contiguous.</exception>
    public static int PrefixLength(IPAddress mask, string paramName)
    {
        uint bits = ToUInt32(mask);
        int prefix = System.Numerics.BitOperations.LeadingZeroCount(~bits);
        if (MaskBits(prefix) != bits)
        {
            throw new ArgumentException($"{mask} is not a contiguous subnet mask.", paramName);
        }

        return prefix;
    }

    /// <summary>
    /// The directed broadcast address of <paramref name="address"/>/<paramref name="prefixLength"/>: the host bits set
    /// to one. /31 (RFC 3021 point-to-point) and /32 networks have no broadcast address; for them this returns the
    /// limited broadcast 255.255.255.255.
    /// </summary>
    public static IPAddress Broadcast(IPAddress address, int prefixLength)
    {
        ValidatePrefix(prefixLength);
        return prefixLength >= 31
            ? IPAddress.Broadcast
            : FromUInt32(ToUInt32(address) | ~MaskBits(prefixLength));
    }

    public static bool Contains(uint network, int prefixLength, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (ToUInt32(address) & MaskBits(prefixLength)) == network;

    public static void ValidatePrefix(int prefixLength, string paramName = "prefixLength")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32, paramName);
    }

    /// <summary>Checks a datagram destination: IPv4 and a port other than 0.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException">The destination is not IPv4 or its port is 0.</exception>
    public static void ValidateDestination(IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Only IPv4 destinations are supported; got {destination}.", nameof(destination));
        }

        if (destination.Port == 0)
        {
            throw new ArgumentException("The destination port must not be 0.", nameof(destination));
        }
    }

    public static void RequireIPv4(IPAddress address, string paramName = "address")
    {
        ArgumentNullException.ThrowIfNull(address, paramName);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Only IPv4 addresses are supported; got {address}.", paramName);
        }
    }
}
