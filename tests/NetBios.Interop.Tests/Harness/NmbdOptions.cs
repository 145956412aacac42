using System.Net;

namespace NetBios.Interop.Tests.Harness;

/// <summary>How to run nmbd (see <see cref="NmbdProcess"/>).</summary>
public sealed record NmbdOptions
{
    /// <summary>nmbd's own NetBIOS name (registered as &lt;00&gt;, &lt;03&gt;, &lt;20&gt;).</summary>
    public string NetbiosName { get; init; } = "PEERNMBD";

    /// <summary>Workgroup (registered as group &lt;00&gt;, &lt;1e&gt;).</summary>
    public string Workgroup { get; init; } = "PEERTEST";

    /// <summary>
    /// Samba <c>interfaces =</c>; must contain one non-loopback IPv4 interface or nmbd never serves.
    /// E.g. <see cref="LoopbackHost.NmbdInterfaces"/> or <see cref="SegmentHost.InterfaceSpec"/>.
    /// </summary>
    public required string Interfaces { get; init; }

    /// <summary>nmbd's non-loopback address: the readiness probe queries it; default = first non-127 entry of <see cref="Interfaces"/>.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>
    /// Where the readiness probe sends its NAME QUERY for NAME&lt;00&gt; (from inside nmbd's namespace). Default:
    /// WINS server → unicast to Address:Port; plain B-node → broadcast (B flag) to the subnet broadcast of
    /// Address, because a B-node nmbd answers unicast at once but broadcasts only after its own broadcast
    /// registrations (3 tries) completed. An explicit target whose last octet is 255 is sent as a broadcast
    /// (B flag, SO_BROADCAST), anything else as unicast.
    /// </summary>
    public IPEndPoint? ProbeTarget { get; init; }

    /// <summary><c>wins support</c> (true = WINS server, false = plain B-node).</summary>
    public bool WinsSupport { get; init; } = true;

    /// <summary>nmbd -d level (1 quiet, 3 one line per WINS request, 4 packet dumps, 10 everything).</summary>
    public int LogLevel { get; init; } = 1;

    /// <summary>NBNS UDP port (nmbd -p). NBDS stays on 138; nmblookup always talks to 137.</summary>
    public int Port { get; init; } = 137;

    /// <summary>Extra <c>key = value</c> lines for [global].</summary>
    public IReadOnlyList<string> ExtraLines { get; init; } = [];

    /// <summary>Bound for "nmbd answers a query for its own name" after start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    internal (IPEndPoint Target, bool Broadcast) ResolveProbe()
    {
        if (ProbeTarget is not null)
        {
            return (ProbeTarget, ProbeTarget.Address.GetAddressBytes()[3] == 255);
        }

        var address = ResolveAddress();
        if (WinsSupport)
        {
            return (new IPEndPoint(address, Port), false);
        }

        var spec = Interfaces.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(s => s.StartsWith(address + "/", StringComparison.Ordinal) || s == address.ToString());
        var prefix = spec.Contains('/', StringComparison.Ordinal) ? int.Parse(spec.Split('/')[1]) : 24;
        var host = (uint)IPAddress.NetworkToHostOrder(BitConverter.ToInt32(address.GetAddressBytes()));
        var bcast = host | (prefix >= 32 ? 0u : uint.MaxValue >> prefix);
        return (new IPEndPoint(new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder((int)bcast))), Port), true);
    }

    internal IPAddress ResolveAddress() =>
        Address ?? Interfaces.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => IPAddress.Parse(s.Split('/')[0]))
            .FirstOrDefault(a => !IPAddress.IsLoopback(a))
        ?? throw new ArgumentException($"interfaces '{Interfaces}' has no non-loopback address: nmbd would never serve (docs/INTEROP.md §1 pitfall 1)");
}
