using System.CommandLine;
using Nbt.Cli.Tracing;
using NetBios.Station;
using NetBios.Transport;

namespace Nbt.Cli;

/// <summary>Binds the station a command needs, turning bind failures into one-line errors.</summary>
internal static class NodeFactory
{
    /// <summary>Binds a started station on the selected adapter.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="options">The options the command built from the command line (<see cref="CommonOptions.BuildStationOptions"/>:
    /// built once, so that an LMHOSTS file is read once); the role is set here.</param>
    /// <param name="output">Where logs go, and the packet trace of <c>-vv</c>.</param>
    /// <param name="role"><see cref="StationRole.Node"/> to own the name and datagram service ports (to be reachable by
    /// name); <see cref="StationRole.Client"/> for ephemeral ports (enough to send and to get answers).</param>
    /// <param name="acceptSessions">For a node: also bind the session port and accept calls.</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <param name="nameSourcePort">For a client: bind the name service socket to this port instead of an ephemeral one (0).</param>
    public static async Task<NetBiosStation> BindAsync(ParseResult parse, StationOptions options, Output output, StationRole role,
        bool acceptSessions, CancellationToken cancellationToken, int nameSourcePort = 0)
    {
        options.Role = role;
        options.AcceptSessions = acceptSessions;
        var adapter = CommonOptions.SelectAdapter(parse);
        try
        {
            var host = new CliNetworkHost(SocketNetworkHost.Default, output.Trace, adapter.Address) { NameSourcePort = nameSourcePort };
            return await NetBiosStation.BindAsync(adapter, options, host, TimeProvider.System, output.LoggerFactory, cancellationToken);
        }
        catch (TransportBindException ex)
        {
            throw new CliException(ex.Message + Hint(ex, options), ExitCodes.Network);
        }
    }

    private static string Hint(TransportBindException ex, StationOptions options)
    {
        int port = ex.Endpoint.Port;
        bool session = ex.Protocol == "TCP";
        return ex.Reason switch
        {
            BindFailureReason.AddressInUse when session => " (is smbd or another nbt running?)",
            BindFailureReason.AddressInUse when port is 137 or 138 => " (is nmbd or another nbt node running?)",
            BindFailureReason.AddressInUse => " (is another program using the port?)",
            BindFailureReason.AccessDenied when session => "; ports below 1024 need root or CAP_NET_BIND_SERVICE: use --session-port",
            BindFailureReason.AccessDenied => "; ports below 1024 need root or CAP_NET_BIND_SERVICE: use --port / --datagram-port",
            _ => string.Empty,
        };
    }
}
