using System.CommandLine;
using NetBios;
using NetBios.NameService;
using NetBios.Station;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt release NAME[#type]</c>: releases a name registered for this host's address, typically by
/// <c>nbt register</c> with a WINS server, and reports the server's answer (released, refused with the rcode, no
/// answer); without a name server the release is broadcast.
/// </summary>
internal static class ReleaseCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { HelpName = "NAME", Description = "NAME, NAME#xx or NAME<XX> (default suffix <00>)" };
    private static readonly Option<bool> Group = new("--group") { Description = "The name is a group name" };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Without a name server: broadcast the release even when this host does not answer for the name (by default that is refused, exit 1)",
    };

    public static Command Create(Output output)
    {
        var command = new Command("release", "Release a name registered for this host (with --wins: ask the name server)") { NameArgument, Group, Force };
        CommonOptions.AddNetwork(command);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, NetBiosName.DefaultSuffix, options.NameService.Scope);
        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken);
        if (options.NameService.NameServers.Count == 0 && !parse.GetValue(Force))
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

        var result = await station.ReleaseUnheldNameAsync(name, parse.GetValue(Group), cancellationToken);
        string detail = result switch
        {
            { Outcome: ReleaseOutcome.Released, Server: { } server } => $"by {server.Address}",
            { Outcome: ReleaseOutcome.Refused, Rcode: { } rcode, Server: { } server } => $"{rcode} from {server.Address}",
            { Outcome: ReleaseOutcome.Timeout, Server: { } server } => $"no answer from {server.Address}",
            _ => $"release broadcast on {station.Adapter.BroadcastAddress}",
        };
        if (output.Json)
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
