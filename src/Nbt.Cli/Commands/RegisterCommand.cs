using System.CommandLine;
using NetBios;
using NetBios.NameService;
using NetBios.Station;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt register NAME[#type]</c>: one registration, reported as registered, conflict with owner X, negative rcode or
/// timeout. The name is not released on exit: with a name server it stays registered for the granted TTL (a WINS
/// record for another process or host); by broadcast it only shows whether the name is free.
/// </summary>
internal static class RegisterCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { HelpName = "NAME", Description = "NAME, NAME#xx or NAME<XX> (default suffix <00>)" };
    private static readonly Option<bool> Group = new("--group") { Description = "Register a group name" };

    public static Command Create(Output output)
    {
        var command = new Command("register", "Register a name once (broadcast, or with --wins as a P-node) and report the outcome") { NameArgument, Group };
        CommonOptions.AddNetwork(command);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, NetBiosName.DefaultSuffix, options.NameService.Scope);
        bool group = parse.GetValue(Group);
        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken);
        output.Progress($"registering {name}{(group ? " (group)" : string.Empty)} as a {station.NodeType}-node");
        var result = await station.AddNameAsync(name, group, cancellationToken);
        station.AbandonName(name); // keep the registration: no release when this process exits

        string detail = result switch
        {
            { Outcome: RegistrationOutcome.Registered, RespondedBy: { } by } => $"by {by.Address}, ttl {(long)result.Ttl.TotalSeconds} s",
            { Outcome: RegistrationOutcome.Registered } => "no objection to the broadcast registration",
            _ => NodeCommand.Explain(result),
        };
        if (output.Json)
        {
            output.WriteJson(new
            {
                name = NameDisplay.Json(name),
                outcome = result.Outcome.ToString(),
                owner = result.Owner?.ToString(),
                rcode = result.Rcode?.ToString(),
                ttl = (long)result.Ttl.TotalSeconds,
                respondedBy = result.RespondedBy?.ToString(),
            });
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
