using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.NameService;
using NetBios.Transport;

namespace Nbt.Cli;

/// <summary>Creates the name service node a command needs, turning bind failures into one-line errors.</summary>
internal static class NodeFactory
{
    /// <summary>Creates and starts a node.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="serve">True for a node that owns the name service port (nbt node); false for a client on an ephemeral port.</param>
    public static NameServiceNode Create(ParseResult parse, ILoggerFactory loggerFactory, bool serve)
    {
        var options = CommonOptions.BuildNameServiceOptions(parse);
        var adapter = CommonOptions.SelectAdapter(parse);
        if (adapter.MacAddress?.GetAddressBytes() is { Length: 6 } mac)
        {
            options.UnitId = mac; // node status reports the adapter's MAC, as nbtstat shows it
        }

        int port = serve ? options.RemotePort : 0;
        IDatagramTransport transport;
        try
        {
            // Bound to the wildcard address so that broadcasts to the adapter's subnet arrive too.
            transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Any, Port = port, EnableBroadcast = true });
        }
        catch (TransportBindException ex)
        {
            string hint = ex.Reason switch
            {
                BindFailureReason.AddressInUse when port == 137 => " (is nmbd running?)",
                BindFailureReason.AccessDenied => "; use --port to pick a port above 1023",
                _ => string.Empty,
            };
            throw new CliException(ex.Message + hint, ExitCodes.Network);
        }

        var node = new NameServiceNode(transport, adapter.Address, adapter.BroadcastAddress, options, TimeProvider.System, loggerFactory.CreateLogger("nbt.names"));
        node.Start();
        return node;
    }
}
