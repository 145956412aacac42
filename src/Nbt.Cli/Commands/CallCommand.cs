using System.CommandLine;
using NetBios;
using NetBios.SessionService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt call NAME [--from NAME]</c>: netcat over a NetBIOS session. Resolves NAME, calls it (following retargets),
/// then sends each line of standard input as one session message and prints each message received as one line. End
/// of input hangs up; the peer hanging up ends the command. A negative session response is reported in words with
/// its code (exit 1). Through nbtd (NBT_DAEMON, <see cref="DaemonChoice"/>) the calling name is the daemon's station
/// name, or <c>--from</c> when the station holds that name; <c>--address</c> runs its own station.
/// </summary>
internal static class CallCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { HelpName = "NAME", Description = "The called name, NAME[#xx] (default suffix <00>; NAME#20 for a server service)" };
    private static readonly Option<string?> From = new("--from") { HelpName = "NAME", Description = "The calling name (default NBT<PID>#00); it need not be registered; through nbtd one of the station's names (default its host name)" };
    private static readonly Option<string?> Address = new("--address") { HelpName = "IP[:PORT]", Description = "Call this IPv4 address[:port] instead of resolving the name" };

    public static Command Create(Output output)
    {
        var command = new Command("call", "Open a session to a name and carry stdin/stdout over it, one line per message (or bytes, --binary)") { NameArgument, From, Address, SessionPump.Binary };
        CommonOptions.AddNetwork(command);
        command.Options.Add(CommonOptions.SessionPort);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var settings = CliSettings.For(parse).Get<NbtCallOptions>();
        var called = CommonOptions.ParseName(parse.GetValue(NameArgument)!, NetBiosName.DefaultSuffix, options.NameService.Scope);
        var calling = CommonOptions.ParseName(settings.From ?? $"NBT{Environment.ProcessId}", NetBiosName.DefaultSuffix, options.NameService.Scope);
        var target = settings.Address is { } text ? CommonOptions.ParseEndPoint(text, options.Sessions.RemotePort, "--address") : null;

        await using var daemon = target is null ? await DaemonChoice.ConnectAsync(output, cancellationToken) : null;
        if (daemon is not null)
        {
            return await CallThroughDaemonAsync(parse, daemon, called, options.NameService.Scope, output, cancellationToken);
        }

        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken);
        output.Info($"calling {called} from {calling}");
        var result = target is null
            ? await station.CallAsync(calling, called, cancellationToken)
            : await station.CallAsync(calling, called, [target], cancellationToken);
        if (!result.IsConnected)
        {
            output.Error($"{called}: {SessionText.Explain(result)}");
            return result.Outcome is SessionCallOutcome.Unreachable or SessionCallOutcome.Reset or SessionCallOutcome.Timeout ? ExitCodes.Network : ExitCodes.NotFound;
        }

        var session = result.Session!;
        output.Info($"session {calling} -> {called} at {session.RemoteEndPoint}"
            + (result.Retargets > 0 ? $" (retargeted {result.Retargets} time{(result.Retargets == 1 ? "" : "s")})" : string.Empty)
            + "; end of input hangs up");
        return await SessionPump.CarryAsync(parse, session, output, cancellationToken);
    }

    private static async Task<int> CallThroughDaemonAsync(ParseResult parse, NetBios.Daemon.NetBiosDaemonClient daemon, NetBiosName called, string? scope,
        Output output, CancellationToken cancellationToken)
    {
        var (station, calling) = await DaemonSource.OpenAsync(daemon, CliSettings.For(parse).Get<NbtCallOptions>().From, scope, "calling name", cancellationToken);
        output.Info($"calling {called} from {calling}");
        var result = await station.CallAsync(calling, called, cancellationToken);
        if (!result.IsConnected)
        {
            output.Error($"{called}: {SessionText.Explain(new SessionCallResult(result.Outcome, null, result.ErrorCode, null, 0))}");
            return result.Outcome is SessionCallOutcome.Unreachable or SessionCallOutcome.Reset or SessionCallOutcome.Timeout ? ExitCodes.Network : ExitCodes.NotFound;
        }

        output.Info($"session {calling} -> {called} at {result.Session.RemoteEndPoint}; end of input hangs up");
        return await SessionPump.CarryAsync(parse, result.Session, output, cancellationToken);
    }
}
