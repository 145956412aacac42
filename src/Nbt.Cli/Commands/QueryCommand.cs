using System.CommandLine;
using NetBios.NameService;
using NetBios.Station;

namespace Nbt.Cli.Commands;

/// <summary><c>nbt query NAME[#type]</c>: resolve a name and print every answer with its source.</summary>
internal static class QueryCommand
{
    private static readonly Argument<string> NameArgument = new("name") { Description = "NAME, NAME#20 or NAME<20>; without a suffix <00> is asked, as nmblookup does" };
    private static readonly Option<string?> Broadcast = new("--broadcast", "-B") { Description = "Broadcast the query to this address" };
    private static readonly Option<string?> Unicast = new("--unicast", "-U") { Description = "Ask this node directly about its own names (RD clear)" };
    private static readonly Option<string?> Server = new("--server") { Description = "Ask this name server only (RD set)" };

    public static Command Create(Output output)
    {
        var command = new Command("query", "Resolve a NetBIOS name (like nmblookup)") { NameArgument, Broadcast, Unicast, Server };
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, 0x00, options.NameService.Scope);
        NameQueryOptions query = NameQueryOptions.Default;
        string how = "the configured resolve order";
        if (parse.GetValue(Broadcast) is { } broadcast)
        {
            var target = CommonOptions.ParseEndPoint(broadcast, options.NameService.RemotePort, "--broadcast");
            query = new NameQueryOptions { Target = target, Broadcast = true, UseCache = false };
            how = $"broadcast {target}";
        }
        else if (parse.GetValue(Unicast) is { } unicast)
        {
            var target = CommonOptions.ParseEndPoint(unicast, options.NameService.RemotePort, "--unicast");
            query = new NameQueryOptions { Target = target, RecursionDesired = false, UseCache = false };
            how = $"node {target}";
        }
        else if (parse.GetValue(Server) is { } server)
        {
            var target = CommonOptions.ParseEndPoint(server, options.NameService.RemotePort, "--server");
            query = new NameQueryOptions { Target = target, RecursionDesired = true, UseCache = false };
            how = $"name server {target}";
        }

        await using var station = await NodeFactory.BindAsync(parse, options, output.LoggerFactory, StationRole.Client, acceptSessions: false, cancellationToken);
        output.Progress($"querying {name} via {how}");
        var result = await station.QueryAsync(name, query, cancellationToken);
        if (output.Json)
        {
            output.WriteJson(new
            {
                name = result.Name.ToString(),
                outcome = result.Outcome.ToString(),
                rcode = result.Rcode?.ToString(),
                conflicting = result.Outcome == QueryOutcome.Conflict || result.HasConflictingAnswers,
                answers = result.Answers.Select(a => new
                {
                    address = a.Address.ToString(),
                    group = a.IsGroup,
                    nodeType = a.NodeType.ToString(),
                    ttl = (long)a.Ttl.TotalSeconds,
                    responder = a.Responder?.ToString(),
                    source = a.Source.ToString(),
                }),
                diagnostics = result.Diagnostics,
            });
        }
        else
        {
            var rows = result.Answers.Select(a => new[]
            {
                a.Address.ToString(), result.Name.ToString(), a.IsGroup ? "GROUP" : "UNIQUE", $"{a.NodeType}-node",
                $"ttl={(long)a.Ttl.TotalSeconds}", a.Responder is { } r ? $"from {r.Address}" : a.Source.ToString().ToLowerInvariant(),
            });
            output.Table(rows);
            foreach (string diagnostic in result.Diagnostics)
            {
                output.Line($"note: {diagnostic}");
            }

            if (result.HasConflictingAnswers)
            {
                output.Line("warning: several nodes claim this unique name (conflict or spoofing)");
            }
        }

        if (result.Outcome == QueryOutcome.Found)
        {
            return ExitCodes.Ok;
        }

        if (result.Outcome == QueryOutcome.Conflict)
        {
            output.Error($"{name}: conflicting answers, none verified by node status (conflict or spoofing)");
            return ExitCodes.NotFound;
        }

        output.Error(result.Rcode is { } rcode ? $"{name}: negative answer ({rcode})" : $"{name}: not found (no answer)");
        return ExitCodes.NotFound;
    }
}
