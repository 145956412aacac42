using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;

namespace NetBios.Transport;

/// <summary>
/// One IPv4 address of one network interface: the unit a NetBIOS LANA (and a station) is bound to.
/// Obtain real adapters from <see cref="NetworkAdapters.Enumerate"/>, or make one with <see cref="Create"/>.
/// </summary>
/// <param name="LanaNumber">The LAN adapter number (0, 1, …) that NCBs address this adapter by.</param>
/// <param name="InterfaceName">The operating system's interface name (<c>eth0</c>, <c>Ethernet 2</c>…).</param>
/// <param name="Address">The IPv4 unicast address.</param>
/// <param name="SubnetMask">The IPv4 subnet mask, for example 255.255.255.0.</param>
/// <param name="BroadcastAddress">Where B-node broadcasts go: the directed broadcast address of the subnet, or
/// 255.255.255.255 for /31 and /32 networks, which have none.</param>
/// <param name="MacAddress">The interface's hardware address (reported in node status responses), if known.</param>
public sealed record NetworkAdapter(
    int LanaNumber,
    string InterfaceName,
    IPAddress Address,
    IPAddress SubnetMask,
    IPAddress BroadcastAddress,
    PhysicalAddress? MacAddress)
{
    /// <summary>The number of one-bits in <see cref="SubnetMask"/> (24 for 255.255.255.0).</summary>
    /// <exception cref="ArgumentException"><see cref="SubnetMask"/> is not a contiguous IPv4 mask.</exception>
    public int PrefixLength => IPv4.PrefixLength(SubnetMask, nameof(SubnetMask));

    /// <summary>The network address (the address with the host bits cleared), for example 192.168.1.0.</summary>
    public IPAddress NetworkAddress => IPv4.FromUInt32(IPv4.ToUInt32(Address) & IPv4.ToUInt32(SubnetMask));

    /// <summary>Creates an adapter from an address and a prefix length, computing the mask and the broadcast address.</summary>
    /// <param name="address">The IPv4 unicast address.</param>
    /// <param name="prefixLength">The prefix length, 0 to 32.</param>
    /// <param name="interfaceName">The interface name. Defaults to <c>net</c> followed by the LANA number.</param>
    /// <param name="lanaNumber">The LANA number. Defaults to 0.</param>
    /// <param name="macAddress">The hardware address, if any.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not IPv4.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="prefixLength"/> is not 0..32, or <paramref name="lanaNumber"/> is negative.</exception>
    public static NetworkAdapter Create(
        IPAddress address,
        int prefixLength,
        string? interfaceName = null,
        int lanaNumber = 0,
        PhysicalAddress? macAddress = null)
    {
        IPv4.RequireIPv4(address);
        IPv4.ValidatePrefix(prefixLength);
        ArgumentOutOfRangeException.ThrowIfNegative(lanaNumber);
        return new NetworkAdapter(
            lanaNumber,
            interfaceName ?? "net" + lanaNumber.ToString(CultureInfo.InvariantCulture),
            address,
            IPv4.Mask(prefixLength),
            IPv4.Broadcast(address, prefixLength),
            macAddress);
    }

    /// <summary>True when <paramref name="address"/> is on this adapter's subnet.</summary>
    /// <param name="address">Any address; non-IPv4 addresses are never on the subnet.</param>
    /// <returns>Whether the address shares this adapter's network prefix.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public bool IsOnSubnet(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        int prefix = PrefixLength;
        return IPv4.Contains(IPv4.ToUInt32(Address) & IPv4.MaskBits(prefix), prefix, address);
    }

    /// <summary>A one-line description such as <c>LANA 0: eth0 192.168.1.5/24 bcast 192.168.1.255</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"LANA {LanaNumber}: {InterfaceName} {Address}/{PrefixLength} bcast {BroadcastAddress}";
}
