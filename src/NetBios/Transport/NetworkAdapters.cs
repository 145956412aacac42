using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>Enumerates this host's IPv4 addresses as NetBIOS adapters (LANAs) and selects them by configuration.</summary>
public static class NetworkAdapters
{
    /// <summary>One adapter per IPv4 unicast address of each interface that is up, in a stable order, numbered from LANA 0.</summary>
    /// <param name="includeLoopback">Include 127.0.0.0/8 addresses.</param>
    public static IReadOnlyList<NetworkAdapter> Enumerate(bool includeLoopback = false)
    {
        var found = new List<(string Name, IPAddress Address, IPAddress Mask, PhysicalAddress? Mac)>();
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return [];
        }

        foreach (var nic in interfaces)
        {
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
            {
                continue;
            }

            bool loopback = nic.NetworkInterfaceType == NetworkInterfaceType.Loopback;
            if (loopback && !includeLoopback)
            {
                continue;
            }

            PhysicalAddress? mac = null;
            try
            {
                mac = nic.GetPhysicalAddress();
            }
            catch (NetworkInformationException)
            {
                // No MAC for this interface.
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && (includeLoopback || !IPAddress.IsLoopback(unicast.Address)))
                {
                    found.Add((nic.Name, unicast.Address, unicast.IPv4Mask ?? IPAddress.Broadcast, mac));
                }
            }
        }

        return found
            .OrderBy(f => IPAddress.IsLoopback(f.Address))
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .ThenBy(f => NetworkAdapter.ToUInt32(f.Address))
            .Select((f, i) => new NetworkAdapter(i, f.Name, f.Address, f.Mask, NetworkAdapter.BroadcastOf(f.Address, f.Mask), f.Mac))
            .ToList();
    }

    /// <summary>Picks an adapter by interface name, IPv4 address, or CIDR (<c>10.0.0.0/24</c>: the first address inside).</summary>
    /// <exception cref="ArgumentException">Nothing matches; the message lists what there is.</exception>
    public static NetworkAdapter Select(IReadOnlyList<NetworkAdapter> adapters, string spec)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        NetworkAdapter? match;
        if (spec.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(spec, out var network))
        {
            match = adapters.FirstOrDefault(a => network.Contains(a.Address));
        }
        else if (IPAddress.TryParse(spec, out var address))
        {
            match = adapters.FirstOrDefault(a => a.Address.Equals(address));
        }
        else
        {
            match = adapters.FirstOrDefault(a => string.Equals(a.InterfaceName, spec, StringComparison.Ordinal));
        }

        return match ?? throw new ArgumentException(
            $"no IPv4 adapter matches '{spec}' (have: {string.Join(", ", adapters.Select(a => $"{a.InterfaceName} {a.Address}/{a.PrefixLength}"))})", nameof(spec));
    }
}
