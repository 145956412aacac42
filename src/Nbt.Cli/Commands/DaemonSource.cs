using NetBios;
using NetBios.Daemon;
using NetBios.NameService;

namespace Nbt.Cli.Commands;

/// <summary>
/// For <c>nbt send</c> and <c>nbt call</c> through nbtd (docs/IPC.md "Station operations"): the daemon's station and the
/// source or calling name — by default the station's own name (the first unique &lt;00&gt; name it holds that no client
/// added: nbtd's host name) instead of a name registered per run; <c>--from NAME</c> must be a name the station holds.
/// </summary>
internal static class DaemonSource
{
    /// <summary>Opens the daemon's first LANA and picks the name.</summary>
    /// <param name="daemon">The connection.</param>
    /// <param name="from">The <c>--from</c> text, or null for the station's name.</param>
    /// <param name="scope">The scope names are parsed in.</param>
    /// <param name="what">"source" or "calling name", for the messages.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The station and the name.</returns>
    /// <exception cref="CliException">The daemon is too old, or the station does not hold the name (exit 1).</exception>
    public static async Task<(NetBiosDaemonStation Station, NetBiosName Name)> OpenAsync(NetBiosDaemonClient daemon, string? from, string? scope,
        string what, CancellationToken cancellationToken)
    {
        byte lana = daemon.Lanas.Count > 0 ? daemon.Lanas[0] : (byte)0;
        NetBiosDaemonStation station;
        IReadOnlyList<LocalName> names;
        try
        {
            station = await daemon.GetStationAsync(lana, cancellationToken);
            names = await station.GetNamesAsync(cancellationToken);
        }
        catch (NotSupportedException ex)
        {
            throw new CliException($"the NetBIOS daemon at {daemon.SocketPath} does not know station operations ({ex.Message}); NBT_DAEMON=off runs without it",
                ExitCodes.Network);
        }
        catch (NetBiosDaemonException ex)
        {
            throw new CliException(ex.Message, ExitCodes.Network);
        }

        var held = names.Where(n => n.State == LocalNameState.Registered).ToList();
        if (from is not null)
        {
            var wanted = CommonOptions.ParseName(from, NetBiosName.DefaultSuffix, scope);
            return held.FirstOrDefault(n => n.Name.BytesEqual(wanted)) is { } match
                ? (station, match.Name)
                : throw new CliException(
                    $"--from {wanted}: the NetBIOS daemon's station does not hold that name; through nbtd the {what} is one of its names"
                    + (held.Count > 0 ? $" ({string.Join(", ", held.Select(n => n.Name))})" : string.Empty),
                    ExitCodes.NotFound);
        }

        return held.FirstOrDefault(n => !n.IsGroup && n.Name.Suffix == NetBiosName.DefaultSuffix) is { } host
            ? (station, host.Name)
            : throw new CliException($"the NetBIOS daemon's station holds no unique <00> name to use as the {what}; give --from NAME", ExitCodes.NotFound);
    }
}
