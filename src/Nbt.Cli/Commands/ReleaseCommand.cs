using System.CommandLine;
using NetBios;
using NetBios.Daemon;
using NetBios.NameService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt release NAME[#type]</c>: releases a name registered for this host's address, typically by
/// <c>nbt register</c> with a WINS server, and reports the server's answer (released, refused with the rcode, no
/// answer); without a name server the release is broadcast. Through the NetBIOS daemon it releases a name the daemon
/// holds (RELEASE HELD NAME: the uid that held it, or root); a name the daemon does not hold is refused (exit 1) unless
/// <c>--force</c>, which then releases it as without a daemon.
/// </summary>
internal static class ReleaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { HelpName = "NAME", Description = "NAME, NAME#xx or NAME<XX> (default suffix <00>)" };
    private static readonly Option<bool> Group = new("--group") { Description = "The name is a group name" };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Release even a name not held here: through nbtd, one the daemon does not hold; without a name server, one this host does not answer for (by default both are refused, exit 1)",
    };

    public static Command Create(Output output)
    {
        var command = new Command("release", "Release a name registered for this host (with --wins: ask the name server)") { NameArgument, Group, Force, DaemonAdminCommand.Lana };
        CommonOptions.AddNetwork(command);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, NetBiosName.DefaultSuffix, options.NameService.Scope);
        await using (var daemon = await DaemonChoice.ConnectAsync(output, cancellationToken))
        {
            if (daemon is not null && await ReleaseHeldAsync(daemon, parse, output, name, cancellationToken) is { } code)
            {
                return code;
            }
        }

        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken);
        if (options.NameService.NameServers.Count == 0 && !CliSettings.For(parse).Get<NbtReleaseOptions>().Force)
        {
            // A broadcast release is believed by every node that has the name cached: only the holder should send it.
            // The name server (with --wins) checks the holder itself; by broadcast, this host is asked whether it holds it.
            var own = new NameQueryOptions { Target = new System.Net.IPEndPoint(station.Address, options.NameService.RemotePort), RecursionDesired = false, UseCache = false };
            var held = await station.QueryAsync(name, own, cancellationToken);
            if (held.Outcome != QueryOutcome.Found || !held.Addresses.Contains(station.Address))
            {
                throw new CliException($"{name} is not held by this host ({station.Address}): no release sent (--force sends it anyway)", ExitCodes.NotFound);
            }
        }

        var result = await station.ReleaseUnheldNameAsync(name, CliSettings.For(parse).Get<NbtReleaseOptions>().Group, cancellationToken);
        return Report(output, name, result, $"release broadcast on {station.Adapter.BroadcastAddress}", heldOn: null);
    }

    /// <summary>RELEASE HELD NAME through the daemon; null when the daemon does not hold the name and --force asks to
    /// release it as without a daemon.</summary>
    private static async Task<int?> ReleaseHeldAsync(NetBiosDaemonClient daemon, ParseResult parse, Output output, NetBiosName name,
        CancellationToken cancellationToken)
    {
        byte lana = RegisterCommand.DaemonLana(daemon, parse);
        var admin = new NetBiosDaemonAdministration(daemon);
        NameReleaseResult result;
        try
        {
            result = await admin.ReleaseHeldNameAsync(lana, name, cancellationToken);
        }
        catch (NetBiosDaemonRequestException ex) when (ex.Status == NetBiosDaemonRequestStatus.NotFound)
        {
            if (CliSettings.For(parse).Get<NbtReleaseOptions>().Force)
            {
                output.Progress($"the NetBIOS daemon does not hold {name}: --force releases it with an own station");
                return null;
            }

            throw new CliException($"{name} is not held by the NetBIOS daemon (nbtd) on LANA {lana}: nothing released (--force releases it anyway, as without a daemon)",
                ExitCodes.NotFound);
        }
        catch (Exception ex) when (ex is NetBiosDaemonRequestException or NetBiosDaemonException)
        {
            return await DaemonAdminCommand.RunAsync<int>(() => throw ex);
        }

        return Report(output, name, result, "release broadcast by nbtd", lana);
    }

    private static int Report(Output output, NetBiosName name, NameReleaseResult result, string broadcastDetail, byte? heldOn)
    {
        string detail = result switch
        {
            { Outcome: ReleaseOutcome.Released, Server: { } server } => $"by {server.Address}",
            { Outcome: ReleaseOutcome.Refused, Rcode: { } rcode, Server: { } server } => $"{rcode} from {server.Address}",
            { Outcome: ReleaseOutcome.Timeout, Server: { } server } => $"no answer from {server.Address}",
            _ => broadcastDetail,
        };
        if (output.Json && heldOn is { } heldLana)
        {
            output.WriteJson(new
            {
                name = NameDisplay.Json(name),
                outcome = result.Outcome.ToString(),
                rcode = result.Rcode?.ToString(),
                server = result.Server?.ToString(),
                heldBy = "daemon",
                lana = heldLana,
            });
        }
        else if (output.Json)
        {
            output.WriteJson(new
            {
                name = NameDisplay.Json(name),
                outcome = result.Outcome.ToString(),
                rcode = result.Rcode?.ToString(),
                server = result.Server?.ToString(),
            });
        }
        else
        {
            output.Line($"{name}  {result.Outcome.ToString().ToUpperInvariant()}  {detail}");
        }

        return result.Outcome switch
        {
            ReleaseOutcome.Released or ReleaseOutcome.Broadcast => ExitCodes.Ok,
            ReleaseOutcome.Timeout => ExitCodes.Network,
            _ => ExitCodes.NotFound,
        };
    }
}
