using System.CommandLine;
using Microsoft.Extensions.Logging;
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
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="role"><see cref="StationRole.Node"/> to own the name and datagram service ports (to be reachable by
    /// name); <see cref="StationRole.Client"/> for ephemeral ports (enough to send and to get answers).</param>
    /// <param name="acceptSessions">For a node: also bind the session port and accept calls.</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    public static async Task<NetBiosStation> BindAsync(ParseResult parse, StationOptions options, ILoggerFactory loggerFactory, StationRole role,
        bool acceptSessions, CancellationToken cancellationToken)
    {
        options.Role = role;
        options.AcceptSessions = acceptSessions;
        var adapter = CommonOptions.SelectAdapter(parse);
        try
        {
            return await NetBiosStation.BindAsync(adapter, options, SocketNetworkHost.Default, TimeProvider.System, loggerFactory, cancellationToken);
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
