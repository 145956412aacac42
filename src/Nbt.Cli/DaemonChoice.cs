using NetBios.Daemon;

namespace Nbt.Cli;

/// <summary>
/// Whether a command runs through the machine's NetBIOS daemon (nbtd) or with its own station, as
/// <c>NBT_DAEMON</c> says (docs/IPC.md "Choosing daemon or embedded"): unset or <c>auto</c> — nbtd if its socket
/// answers; <c>off</c> — never; <c>required</c> or a socket path — that daemon or an error. <c>-v</c> says which.
/// </summary>
internal static class DaemonChoice
{
    /// <summary>Connects to the daemon when the setting asks for it and one answers.</summary>
    /// <param name="output">Where <c>-v</c> says which way the command runs.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client (the caller disposes it), or null to run with an own station.</returns>
    /// <exception cref="CliException">A bad <c>NBT_DAEMON</c> (exit 2), or a required daemon that does not answer or
    /// refuses this client (exit 3).</exception>
    public static async Task<NetBiosDaemonClient?> ConnectAsync(Output output, CancellationToken cancellationToken)
    {
        NetBiosDaemonClient? daemon;
        try
        {
            daemon = await NetBiosDaemon.TryConnectAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message, ExitCodes.Usage);
        }
        catch (NetBiosDaemonException ex)
        {
            throw new CliException(ex.Message, ExitCodes.Network);
        }

        output.Progress(daemon is null
            ? "no NetBIOS daemon (nbtd) in use: this command runs its own station"
            : $"through the NetBIOS daemon (nbtd) at {daemon.SocketPath}, LANA(s) {string.Join(", ", daemon.Lanas)}");
        return daemon;
    }
}
