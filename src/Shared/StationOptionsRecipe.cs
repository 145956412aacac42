using System.Net;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Wire.NameService;

namespace NetBios.Station.Hosting;

/// <summary>
/// How nbt and nbtd turn their (already checked) settings into <see cref="StationOptions"/>: the same ports for
/// sending and listening, the session listener on all addresses, and a node that runs the WINS server itself using
/// its own address as its name server when no other is configured ([RFC 1001] 15.1.1: a P/M/H node needs an NBNS).
/// Each tool parses and checks its own settings and words its own errors; only the building is shared.
/// </summary>
/// <remarks>Shared source (src/Shared, a linked <c>Compile</c> item of src/Nbt.Cli and src/Nbtd), internal to each tool.</remarks>
internal static class StationOptionsRecipe
{
    /// <summary>Name service options.</summary>
    /// <param name="port">The name service port of the other nodes (137).</param>
    /// <param name="scope">The scope ID, or null/empty.</param>
    /// <param name="nodeType">The node type, or null for the library's default.</param>
    /// <param name="nameServers">Configured name servers, in order.</param>
    /// <param name="ownNameServer">The node's own address when it runs the WINS server; used as the name server when none is configured.</param>
    public static NameServiceOptions NameService(int port, string? scope, NodeType? nodeType, IEnumerable<IPEndPoint> nameServers, Func<IPAddress>? ownNameServer)
    {
        var options = new NameServiceOptions { RemotePort = port, Scope = scope };
        if (nodeType is { } type)
        {
            options.NodeType = type;
        }

        foreach (var server in nameServers)
        {
            options.NameServers.Add(server);
        }

        if (ownNameServer is not null && options.NameServers.Count == 0)
        {
            options.NameServers.Add(new IPEndPoint(ownNameServer(), port));
        }

        return options;
    }

    /// <summary>Station options around <paramref name="names"/>.</summary>
    /// <param name="names">From <see cref="NameService"/>.</param>
    /// <param name="datagramPort">The datagram service port (138).</param>
    /// <param name="sessionPort">The session service port (139), to listen on (all addresses) and to call.</param>
    public static StationOptions Station(NameServiceOptions names, int datagramPort, int sessionPort) => new()
    {
        NameService = names,
        Datagrams = new DatagramServiceOptions { RemotePort = datagramPort },
        Sessions = new SessionServiceOptions { ListenEndPoint = new IPEndPoint(IPAddress.Any, sessionPort), RemotePort = sessionPort },
    };
}
