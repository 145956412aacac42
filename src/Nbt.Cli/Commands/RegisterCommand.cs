using System.CommandLine;
using System.Text.Json;
using NetBios;
using NetBios.Daemon;
using NetBios.NameService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt register NAME[#type]</c>: one registration, reported as registered, conflict with owner X, negative rcode or
/// timeout. Through the NetBIOS daemon (when one runs, <see cref="DaemonChoice"/>) the daemon holds the name — answers,
/// defends and refreshes it — after nbt exits, until <c>nbt release</c> or the daemon stops (HOLD NAME, docs/IPC.md).
/// Without a daemon the name is not released on exit: with a name server it stays registered for the granted TTL (a
/// WINS record for another process or host); by broadcast it only shows whether the name is free.
/// </summary>
internal static class RegisterCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { HelpName = "NAME", Description = "NAME, NAME#xx or NAME<XX> (default suffix <00>)" };
    private static readonly Option<bool> Group = new("--group") { Description = "Register a group name" };

    public static Command Create(Output output)
    {
        var command = new Command("register", "Register a name and report the outcome; through nbtd the daemon holds it until `nbt release` (else once: broadcast, or with --wins as a P-node)")
        {
            NameArgument, Group, DaemonAdminCommand.Lana,
        };
        CommonOptions.AddNetwork(command);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, NetBiosName.DefaultSuffix, options.NameService.Scope);
        bool group = CliSettings.For(parse).Get<NbtRegisterOptions>().Group;
        await using (var daemon = await DaemonChoice.ConnectAsync(output, cancellationToken))
        {
            if (daemon is not null)
            {
                return await HoldAsync(daemon, parse, output, name, group, cancellationToken);
            }
        }

        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken);
        output.Progress($"registering {name}{(group ? " (group)" : string.Empty)} as a {station.NodeType}-node");
        var result = await station.AddNameAsync(name, group, cancellationToken);
        station.AbandonName(name); // keep the registration: no release when this process exits

        return Report(output, name, result, heldOn: null);
    }

    /// <summary>HOLD NAME through the daemon, on <c>--lana</c> or its first LANA.</summary>
    private static async Task<int> HoldAsync(NetBiosDaemonClient daemon, ParseResult parse, Output output, NetBiosName name, bool group,
        CancellationToken cancellationToken)
    {
        byte lana = DaemonLana(daemon, parse);
        output.Progress($"asking the NetBIOS daemon to register and hold {name}{(group ? " (group)" : string.Empty)} on LANA {lana}");
        var admin = new NetBiosDaemonAdministration(daemon);
        var result = await DaemonAdminCommand.RunAsync(() => admin.HoldNameAsync(lana, name, group, cancellationToken));
        return Report(output, name, result, lana);
    }

    /// <summary>The daemon LANA <c>--lana</c> names (it must be one of the daemon's), else the daemon's first.</summary>
    internal static byte DaemonLana(NetBiosDaemonClient daemon, ParseResult parse)
    {
        byte lana = DaemonAdminCommand.SelectedLana(parse);
        if (lana == NetBiosDaemonAdministration.AllLanas)
        {
            return daemon.Lanas.Count > 0 ? daemon.Lanas[0] : (byte)0;
        }

        return daemon.Lanas.Contains(lana)
            ? lana
            : throw new CliException($"--lana {lana}: the NetBIOS daemon has LANA(s) {string.Join(", ", daemon.Lanas)}", ExitCodes.Usage);
    }

    private static int Report(Output output, NetBiosName name, NameRegistrationResult result, byte? heldOn)
    {
        string detail = result switch
        {
            { Outcome: RegistrationOutcome.Registered } when heldOn is { } lana =>
                $"held by nbtd on LANA {lana} until `nbt release`{(result.RespondedBy is { } server ? $" (by {server.Address}, ttl {(long)result.Ttl.TotalSeconds} s)" : string.Empty)}",
            { Outcome: RegistrationOutcome.Registered, RespondedBy: { } by } => $"by {by.Address}, ttl {(long)result.Ttl.TotalSeconds} s",
            { Outcome: RegistrationOutcome.Registered } => "no objection to the broadcast registration",
            _ => NodeCommand.Explain(result),
        };
        if (output.Json)
        {
            // The schema of `nbt register --json`; a name held by nbtd adds who holds it and on which LANA.
            var json = JsonSerializer.SerializeToNode(new
            {
                name = NameDisplay.Json(name),
                outcome = result.Outcome.ToString(),
                owner = result.Owner?.ToString(),
                rcode = result.Rcode?.ToString(),
                ttl = (long)result.Ttl.TotalSeconds,
                respondedBy = result.RespondedBy?.ToString(),
            })!.AsObject();
            if (heldOn is { } heldLana)
            {
                json["heldBy"] = result.Succeeded ? "daemon" : null;
                json["lana"] = heldLana;
            }

            output.WriteJson(json);
        }
        else
        {
            output.Line($"{name}  {result.Outcome.ToString().ToUpperInvariant()}  {detail}".TrimEnd());
        }

        return result.Outcome switch
        {
            RegistrationOutcome.Registered => ExitCodes.Ok,
            RegistrationOutcome.Timeout => ExitCodes.Network,
            _ => ExitCodes.NotFound,
        };
    }
}
