using NetBios.DatagramService;
using NetBios.NameService;

namespace NetBios.Station;

/// <summary>Settings of a <see cref="NetBiosStation"/>: one set per service.</summary>
public sealed class StationOptions
{
    /// <summary>The name service (node type, scope, name servers, LMHOSTS, timers).</summary>
    public NameServiceOptions NameService { get; set; } = new();

    /// <summary>The datagram service (port, sizes, reassembly bounds, NBDD).</summary>
    public DatagramServiceOptions Datagrams { get; set; } = new();
}
