using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>Finds the host's IPv4 adapters and picks the ones a station should bind to.</summary>
public static class NetworkAdapters
{
    /// <summary>
    /// Lists one <see cref="NetworkAdapter"/> per IPv4 unicast address of every interface that is up, with LANA
    /// numbers 0..n−1.
    /// </summary>
    /// <param name="includeLoopback">Whether loopback interfaces (127.0.0.0/8) are listed too. Defaults to <see langword="false"/>.</param>
    /// <returns>The adapters, in a stable order: non-loopback before loopback, then by interface name (ordinal),
    /// then by address; the same machine configuration always gives the same LANA numbers. Empty when the platform
    /// cannot list interfaces.</returns>
    public static IReadOnlyList<NetworkAdapter> Enumerate(bool includeLoopback = false)
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
        catch (PlatformNotSupportedException)
        {
            return [];
        }

        var found = new List<(bool Loopback, string Name, uint Address, NetworkAdapter Adapter)>();
        foreach (NetworkInterface nic in interfaces)
        {
            bool loopback = nic.NetworkInterfaceType == NetworkInterfaceType.Loopback;
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown) || (loopback && !includeLoopback))
            {
                continue;
            }

            PhysicalAddress? mac = TryGetMac(nic);
            foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily != AddressFamily.InterNetwork)
                {
                    continue;
                }

                bool isLoopbackAddress = IPAddress.IsLoopback(unicast.Address);
                if (isLoopbackAddress && !includeLoopback)
                {
                    continue;
                }

                int prefix = unicast.PrefixLength is >= 0 and <= 32 ? unicast.PrefixLength : 32;
                NetworkAdapter adapter = NetworkAdapter.Create(unicast.Address, prefix, nic.Name, 0, mac);
                found.Add((loopback || isLoopbackAddress, nic.Name, IPv4.ToUInt32(unicast.Address), adapter));
            }
        }

        found.Sort(static (a, b) =>
        {
            int c = a.Loopback.CompareTo(b.Loopback);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.Name, b.Name);
            }

            return c != 0 ? c : a.Address.CompareTo(b.Address);
        });

        var result = new NetworkAdapter[found.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = found[i].Adapter with { LanaNumber = i };
        }

        return result;
    }

    /// <summary>
    /// Picks the adapters that match <paramref name="spec"/>: an interface name (<c>eth0</c>, case-insensitive), an
    /// address (<c>192.168.1.5</c>), or a network in CIDR form (<c>192.168.1.0/24</c>, every adapter whose address is in it).
    /// </summary>
    /// <param name="all">The adapters to choose from, usually <see cref="Enumerate"/>'s result.</param>
    /// <param name="spec">The interface name, address or CIDR network.</param>
    /// <returns>The matching adapters, in the order of <paramref name="all"/>; never empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="all"/> or <paramref name="spec"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="spec"/> is empty or malformed, or no adapter matches it;
    /// the message lists the available adapters.</exception>
    public static IReadOnlyList<NetworkAdapter> Select(IReadOnlyList<NetworkAdapter> all, string spec)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        spec = spec.Trim();

        Func<NetworkAdapter, bool> match;
        int slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!IPAddress.TryParse(spec.AsSpan(0, slash), out IPAddress? network)
                || network.AddressFamily != AddressFamily.InterNetwork
                || !int.TryParse(spec.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out int prefix)
                || prefix > 32)
            {
                throw new ArgumentException($"'{spec}' is not an IPv4 network in CIDR form such as 192.168.1.0/24.", nameof(spec));
            }

            uint bits = IPv4.ToUInt32(network) & IPv4.MaskBits(prefix);
            match = a => IPv4.Contains(bits, prefix, a.Address);
        }
        else if (IPAddress.TryParse(spec, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetwork
                 && spec.Count(c => c == '.') == 3)
        {
            match = a => a.Address.Equals(address);
        }
        else
        {
            match = a => string.Equals(a.InterfaceName, spec, StringComparison.OrdinalIgnoreCase);
        }

        var selected = all.Where(match).ToArray();
        if (selected.Length == 0)
        {
            string available = all.Count == 0 ? "none" : string.Join("; ", all);
            throw new ArgumentException($"No network adapter matches '{spec}'. Available: {available}.", nameof(spec));
        }

        return selected;
    }

    private static PhysicalAddress? TryGetMac(NetworkInterface nic)
    {
        try
        {
            PhysicalAddress mac = nic.GetPhysicalAddress();
            return mac.GetAddressBytes().Length == 0 ? null : mac;
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }
}
