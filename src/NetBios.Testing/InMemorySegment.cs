using System.Net;
using NetBios.Transport;

namespace NetBios.Testing;

/// <summary>
/// One broadcast domain (an IPv4 subnet) of an <see cref="InMemoryNetwork"/>. Every host address inside the prefix is
/// on this segment; broadcasts to <see cref="BroadcastAddress"/> or 255.255.255.255 sent from this segment reach all
/// of its hosts and no others (there are no routers).
/// </summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class InMemorySegment
{
    internal InMemorySegment(IPAddress network, int prefixLength)
    {
        PrefixLength = prefixLength;
        NetworkBits = IPv4.ToUInt32(network) & IPv4.MaskBits(prefixLength);
        NetworkAddress = IPv4.FromUInt32(NetworkBits);
        SubnetMask = IPv4.Mask(prefixLength);
        BroadcastAddress = IPv4.Broadcast(NetworkAddress, prefixLength);
    }

    /// <summary>The network address (host bits zero), for example 192.168.1.0.</summary>
    public IPAddress NetworkAddress { get; }

    /// <summary>The prefix length, 0..32.</summary>
    public int PrefixLength { get; }

    /// <summary>The subnet mask, for example 255.255.255.0.</summary>
    public IPAddress SubnetMask { get; }

    /// <summary>The directed broadcast address (host bits one), or 255.255.255.255 for /31 and /32 segments.</summary>
    public IPAddress BroadcastAddress { get; }

    internal uint NetworkBits { get; }

    /// <summary>True when <paramref name="address"/> is inside this segment's prefix.</summary>
    /// <param name="address">Any address.</param>
    /// <returns>Whether the address belongs to the segment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IPv4.Contains(NetworkBits, PrefixLength, address);
    }

    /// <summary>The segment in CIDR form, for example <c>192.168.1.0/24</c>.</summary>
    /// <returns>The CIDR text.</returns>
    public override string ToString() => $"{NetworkAddress}/{PrefixLength}";
}
