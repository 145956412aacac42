using System.CommandLine;
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
    private static readonly Argument<string> NameArgument = new("name") { Description = "NAME, NAME#xx or NAME<xx> (default suffix <00>)" };
    private static readonly Option<bool> Group = new("--group") { Description = "The name is a group name" };

    public static Command Create(Output output)
    {
        var command = new Command("release", "Release a name registered for this host (with --wins: ask the name server)") { NameArgument, Group };
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, 0x00, options.NameService.Scope);
        await using var station = await NodeFactory.BindAsync(parse, options, output.LoggerFactory, StationRole.Client, acceptSessions: false, cancellationToken);
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
                name = name.ToString(),
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
