using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;

namespace NetBios.Station;

/// <summary>Settings of a <see cref="NetBiosStation"/>: one set per service.</summary>
public sealed class StationOptions
{
    /// <summary>The name service (node type, scope, name servers, LMHOSTS, timers).</summary>
    public NameServiceOptions NameService { get; set; } = new();

    /// <summary>The datagram service (port, sizes, reassembly bounds, NBDD).</summary>
    public DatagramServiceOptions Datagrams { get; set; } = new();

    /// <summary>The session service (listener port, caps, timeouts, keepalives). A listen endpoint on the wildcard
    /// address is narrowed to the station's own address, so that each LANA listens on its adapter.</summary>
    public SessionServiceOptions Sessions { get; set; } = new();
}
