using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>One IPv4 address of one interface: a NetBIOS LANA (seed §2.2 "network number").</summary>
/// <param name="LanaNumber">The LANA number (0..254).</param>
/// <param name="InterfaceName">The operating system's interface name.</param>
/// <param name="Address">The IPv4 address.</param>
/// <param name="SubnetMask">The subnet mask.</param>
/// <param name="BroadcastAddress">The directed broadcast address of the subnet.</param>
/// <param name="MacAddress">The interface's MAC address, when it has one.</param>
public sealed record NetworkAdapter(int LanaNumber, string InterfaceName, IPAddress Address, IPAddress SubnetMask, IPAddress BroadcastAddress, PhysicalAddress? MacAddress)
{
    /// <summary>The prefix length of <see cref="SubnetMask"/>.</summary>
    public int PrefixLength => System.Numerics.BitOperations.PopCount(ToUInt32(SubnetMask));

    /// <summary>Builds an adapter from an address and prefix length (for tests and configuration).</summary>
    /// <exception cref="ArgumentException">The address is not IPv4 or the prefix is outside 0..32.</exception>
    public static NetworkAdapter Create(IPAddress address, int prefixLength, int lanaNumber = 0, string interfaceName = "manual", PhysicalAddress? macAddress = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("NetBIOS over TCP/IP is IPv4 only.", nameof(address));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        return new NetworkAdapter(lanaNumber, interfaceName, address, FromUInt32(mask), BroadcastOf(address, FromUInt32(mask)), macAddress);
    }

    /// <summary>The directed broadcast address (host bits all ones); for /31 and /32 the limited broadcast 255.255.255.255.</summary>
    public static IPAddress BroadcastOf(IPAddress address, IPAddress mask)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(mask);
        uint m = ToUInt32(mask);
        return m >= 0xFFFFFFFE ? IPAddress.Broadcast : FromUInt32((ToUInt32(address) & m) | ~m);
    }

    /// <summary>True when <paramref name="other"/> is on this adapter's subnet.</summary>
    public bool Contains(IPAddress other)
    {
        ArgumentNullException.ThrowIfNull(other);
        uint m = ToUInt32(SubnetMask);
        return other.AddressFamily == AddressFamily.InterNetwork && (ToUInt32(other) & m) == (ToUInt32(Address) & m);
    }

    internal static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    internal static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
