using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Transport;

namespace Nbt.Cli;

/// <summary>Creates the name service node or the whole station a command needs, turning bind failures into one-line errors.</summary>
internal static class NodeFactory
{
    /// <summary>Creates and starts a name service node.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="serve">True for a node that owns the name service port (nbt node); false for a client on an ephemeral port.</param>
    public static NameServiceNode Create(ParseResult parse, ILoggerFactory loggerFactory, bool serve)
    {
        var options = CommonOptions.BuildNameServiceOptions(parse);
        var adapter = SelectAdapter(parse, options);
        var transport = Bind(serve ? options.RemotePort : 0, "name service");
        var node = new NameServiceNode(transport, adapter.Address, adapter.BroadcastAddress, options, TimeProvider.System, loggerFactory.CreateLogger("nbt.names"));
        node.Start();
        return node;
    }

    /// <summary>Creates and starts a station: name service and datagram service on the selected adapter.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="serve">True to own the name and datagram service ports (to be reachable by name); false for
    /// ephemeral ports (enough to send and to get answers).</param>
    public static NetBiosStation CreateStation(ParseResult parse, ILoggerFactory loggerFactory, bool serve)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var adapter = SelectAdapter(parse, options.NameService);
        var names = Bind(serve ? options.NameService.RemotePort : 0, "name service");
        IDatagramTransport datagrams;
        try
        {
            datagrams = Bind(serve ? options.Datagrams.RemotePort : 0, "datagram service");
        }
        catch
        {
            names.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        var station = NetBiosStation.Create(names, datagrams, new TcpStreamNetwork(timeProvider: TimeProvider.System), adapter.Address, adapter.BroadcastAddress, options, TimeProvider.System, loggerFactory);
        station.Start();
        return station;
    }

    /// <summary>Starts the station's session listener, turning bind failures into one-line errors.</summary>
    /// <param name="station">The station.</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    public static async Task ListenForSessionsAsync(NetBiosStation station, CancellationToken cancellationToken)
    {
        try
        {
            await station.StartListeningAsync(cancellationToken);
        }
        catch (TransportBindException ex)
        {
            string hint = ex.Reason switch
            {
                BindFailureReason.AddressInUse => " (is smbd or another nbt running?)",
                BindFailureReason.AccessDenied => "; ports below 1024 need root or CAP_NET_BIND_SERVICE: use --session-port",
                _ => string.Empty,
            };
            throw new CliException(ex.Message + hint, ExitCodes.Network);
        }
    }

    private static NetworkAdapter SelectAdapter(ParseResult parse, NameServiceOptions options)
    {
        var adapter = CommonOptions.SelectAdapter(parse);
        if (adapter.MacAddress?.GetAddressBytes() is { Length: 6 } mac)
        {
            options.UnitId = mac; // node status reports the adapter's MAC, as nbtstat shows it
        }

        return adapter;
    }

    /// <summary>Binds a UDP port on the wildcard address (so that broadcasts to the adapter's subnet arrive too).</summary>
    private static UdpDatagramTransport Bind(int port, string service)
    {
        try
        {
            return UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Any, Port = port, EnableBroadcast = true });
        }
        catch (TransportBindException ex)
        {
            string hint = ex.Reason switch
            {
                BindFailureReason.AddressInUse when port is 137 or 138 => " (is nmbd or another nbt node running?)",
                BindFailureReason.AddressInUse => $" (is another program using the {service} port?)",
                BindFailureReason.AccessDenied => "; ports below 1024 need root or CAP_NET_BIND_SERVICE: use --port / --datagram-port",
                _ => string.Empty,
            };
            throw new CliException(ex.Message + hint, ExitCodes.Network);
        }
    }
}
