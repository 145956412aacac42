using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;

namespace NetBios.Station;

/// <summary>Settings of a <see cref="NetBiosStation"/>: one set per service.</summary>
public sealed class StationOptions
{
    /// <summary>Which ports the station binds (see <see cref="StationRole"/>). Defaults to
    /// <see cref="StationRole.Client"/>: ephemeral ports, no session listener.</summary>
    public StationRole Role { get; set; } = StationRole.Client;

    /// <summary>For a <see cref="StationRole.Node"/>: bind the session port and accept calls. A node that only serves
    /// names and datagrams (leaving TCP 139 to another program, such as smbd) sets it to false. Defaults to true.</summary>
    public bool AcceptSessions { get; set; } = true;

    /// <summary>The name service (node type, scope, name servers, LMHOSTS, timers).</summary>
    public NameServiceOptions NameService { get; set; } = new();

    /// <summary>The datagram service (port, sizes, reassembly bounds, NBDD).</summary>
    public DatagramServiceOptions Datagrams { get; set; } = new();

    /// <summary>The session service (listener port, caps, timeouts, keepalives). A listen endpoint on the wildcard
    /// address is narrowed to the station's own address, so that each LANA listens on its adapter.</summary>
    public SessionServiceOptions Sessions { get; set; } = new();
}
