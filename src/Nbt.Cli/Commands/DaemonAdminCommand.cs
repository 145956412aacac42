using System.CommandLine;
using System.Globalization;
using NetBios.Daemon;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// What the commands that only run through the NetBIOS daemon (<c>nbt names</c>, <c>sessions</c>, <c>cache</c>,
/// <c>stats</c>; docs/CLI.md "Through the daemon") share: the daemon as <see cref="DaemonChoice"/> finds it, or the
/// one-line error "no NetBIOS daemon (nbtd) is running" with exit 3; the daemon's refusals as exit codes; <c>--lana</c>.
/// </summary>
internal static class DaemonAdminCommand
{
    /// <summary><c>--lana N</c>: one station of the daemon (default: every one).</summary>
    public static readonly Option<int?> Lana = new("--lana")
    {
        Description = "Only the daemon's station on this LANA (default: every LANA)",
        HelpName = "N",
    };

    /// <summary>Adds <c>--lana</c> and the output options.</summary>
    public static Command WithOptions(Command command)
    {
        command.Options.Add(Lana);
        CommonOptions.AddOutput(command);
        return command;
    }

    /// <summary>The LANA of the bound <see cref="NbtLanaOptions.Lana"/>, or <see cref="NetBiosDaemonAdministration.AllLanas"/>.</summary>
    /// <exception cref="CliException">Not 0-254 (exit 2; <see cref="NbtLanaOptionsValidator"/> reports it before the command runs).</exception>
    public static byte SelectedLana(ParseResult parse) => CliSettings.For(parse).Get<NbtLanaOptions>().Lana switch
    {
        null => NetBiosDaemonAdministration.AllLanas,
        >= 0 and <= 254 and int lana => (byte)lana,
        int other => throw new CliException($"--lana {other.ToString(CultureInfo.InvariantCulture)} is not a LANA number from 0 to 254", ExitCodes.Usage),
    };

    /// <summary>Connects to the daemon, or fails with the one-line error (exit 3) when none runs or NBT_DAEMON is off.</summary>
    /// <param name="command">The command's name, for the error.</param>
    /// <param name="output">Where <c>-v</c> says which way.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The client (the caller disposes it).</returns>
    public static async Task<NetBiosDaemonClient> RequireAsync(string command, Output output, CancellationToken cancellationToken) =>
        await DaemonChoice.ConnectAsync(output, cancellationToken).ConfigureAwait(false)
        ?? throw new CliException(
            $"no NetBIOS daemon (nbtd) is running; `nbt {command}` shows a daemon's stations (start nbtd, or set NBT_DAEMON to its socket)",
            ExitCodes.Network);

    /// <summary>Runs one request, turning the daemon's refusal into a one-line error: access denied or not found exit 1,
    /// anything else (an older daemon, a lost connection) exit 3.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> request)
    {
        try
        {
            return await request().ConfigureAwait(false);
        }
        catch (NetBiosDaemonRequestException ex)
        {
            string text = ex.Status switch
            {
                NetBiosDaemonRequestStatus.AccessDenied => $"the NetBIOS daemon refused: {ex.Message}",
                NetBiosDaemonRequestStatus.UnknownOperation => $"the NetBIOS daemon is older than this nbt: {ex.Message}",
                _ => $"the NetBIOS daemon answered {ex.Status}: {ex.Message}",
            };
            throw new CliException(text, ex.Status is NetBiosDaemonRequestStatus.AccessDenied or NetBiosDaemonRequestStatus.NotFound
                ? ExitCodes.NotFound : ExitCodes.Network);
        }
        catch (NetBiosDaemonException ex)
        {
            throw new CliException($"the NetBIOS daemon: {ex.Message}", ExitCodes.Network);
        }
    }

    /// <summary>Who holds a name or session, in words.</summary>
    public static string Holder(NetBiosDaemonNameHolder holder, int pid, uint uid) => holder switch
    {
        NetBiosDaemonNameHolder.Daemon => $"nbtd (for uid {uid.ToString(CultureInfo.InvariantCulture)})",
        NetBiosDaemonNameHolder.Client => $"pid {pid.ToString(CultureInfo.InvariantCulture)} (uid {uid.ToString(CultureInfo.InvariantCulture)})",
        _ => "nbtd (station)",
    };

    /// <summary>Who holds it, for JSON: "station", "daemon" or "client".</summary>
    public static string HolderJson(NetBiosDaemonNameHolder holder) => holder.ToString().ToLowerInvariant();
}
