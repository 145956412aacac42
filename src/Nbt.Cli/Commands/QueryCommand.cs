using System.CommandLine;
using System.Globalization;
using System.Net;
using NetBios;
using NetBios.NameService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt query NAME...</c>: resolve names (as nmblookup does) and print every answer with its source. Several names
/// are asked one after the other; <c>--master-browser</c> asks for NAME&lt;1D&gt; (nmblookup <c>-M</c>),
/// <c>--reverse</c> adds each answer's DNS name (nmblookup <c>-T</c>), <c>--source-port-137</c> asks from UDP 137
/// (nmblookup <c>-r</c>).
/// </summary>
internal static class QueryCommand
{
    /// <summary>The name <c>--master-browser -</c> asks for: nmblookup's <c>-M -</c>, the browse masters' group name.</summary>
    internal const string MsBrowse = @"\x01\x02__MSBROWSE__\x02#01";

    private static readonly Argument<string[]> NamesArgument = new("NAME")
    {
        Description = "NAME, NAME#20 or NAME<20>; several names are asked in turn. Without a suffix <00> is asked (nmblookup asks <20>: write NAME#20)",
        Arity = ArgumentArity.OneOrMore,
        HelpName = "NAME",
    };

    private static readonly Option<string?> Broadcast = new("--broadcast", "-B") { Description = "Broadcast the query to this address", HelpName = "ADDRESS" };
    private static readonly Option<string?> Unicast = new("--unicast", "-U") { Description = "Ask this node directly about its own names (RD clear)", HelpName = "IP[:PORT]" };
    private static readonly Option<string?> Server = new("--server") { Description = "Ask this name server only (RD set)", HelpName = "IP[:PORT]" };

    private static readonly Option<double?> Timeout = new("--timeout", "-t")
    {
        Description = "Seconds to wait for the answers to each name (the three tries are spread over it; default 0.75 s for a broadcast, 4.5 s for a name server or node)",
        HelpName = "SECONDS",
    };

    private static readonly Option<bool> SourcePort137 = new("--source-port-137", "-r")
    {
        Description = "Send from UDP port 137 (or --port), for peers that answer only there, as nmblookup -r (needs root; fails if nmbd holds it)",
    };

    private static readonly Option<bool> MasterBrowser = new("--master-browser", "-M")
    {
        Description = "Look up the master browser: NAME<1D> (a workgroup's local master), or with NAME '-' the browse masters' group ..__MSBROWSE__.<01>, as nmblookup -M",
    };

    private static readonly Option<bool> Reverse = new("--reverse", "-T")
    {
        Description = "Also look up each answer's address in DNS (2 s at most each), as nmblookup -T",
    };

    /// <summary>How long a reverse DNS lookup may take.</summary>
    internal static readonly TimeSpan ReverseTimeout = TimeSpan.FromSeconds(2);

    public static Command Create(Output output)
    {
        var command = new Command("query", "Resolve NetBIOS names (like nmblookup)") { NamesArgument, Broadcast, Unicast, Server, Timeout, SourcePort137, MasterBrowser, Reverse };
        CommonOptions.AddNetwork(command);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var settings = CliSettings.For(parse).Get<NbtQueryOptions>();
        if (settings.Timeout is { } seconds)
        {
            options.NameService.BroadcastRetryTimeout = TimeSpan.FromSeconds(seconds / options.NameService.BroadcastRetryCount);
            options.NameService.UnicastRetryTimeout = TimeSpan.FromSeconds(seconds / options.NameService.UnicastRetryCount);
        }

        bool master = settings.MasterBrowser;
        var names = new List<NetBiosName>();
        foreach (string text in parse.GetValue(NamesArgument) ?? [])
        {
            names.Add(master
                ? text == "-" ? CommonOptions.ParseName(MsBrowse, 0x01, options.NameService.Scope) : CommonOptions.ParseName(text, 0x1D, options.NameService.Scope).WithSuffix(0x1D)
                : CommonOptions.ParseName(text, NetBiosName.DefaultSuffix, options.NameService.Scope));
        }

        NameQueryOptions query = NameQueryOptions.Default;
        string how = "the configured resolve order";
        if (settings.Broadcast is { } broadcast)
        {
            var target = CommonOptions.ParseEndPoint(broadcast, options.NameService.RemotePort, "--broadcast");
            query = new NameQueryOptions { Target = target, Broadcast = true, UseCache = false };
            how = $"broadcast {target}";
        }
        else if (settings.Unicast is { } unicast)
        {
            var target = CommonOptions.ParseEndPoint(unicast, options.NameService.RemotePort, "--unicast");
            query = new NameQueryOptions { Target = target, RecursionDesired = false, UseCache = false };
            how = $"node {target}";
        }
        else if (settings.Server is { } server)
        {
            var target = CommonOptions.ParseEndPoint(server, options.NameService.RemotePort, "--server");
            query = new NameQueryOptions { Target = target, RecursionDesired = true, UseCache = false };
            how = $"name server {target}";
        }

        int sourcePort = settings.SourcePort137 ? options.NameService.RemotePort : 0;
        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken, sourcePort);
        bool reverse = settings.Reverse;
        int exit = ExitCodes.Ok;
        var rows = new List<string[]>();
        foreach (var name in names)
        {
            output.Progress($"querying {NameDisplay.Display(name)} via {how}");
            var result = await station.QueryAsync(name, query, cancellationToken);
            var dns = new Dictionary<IPAddress, string?>();
            if (reverse)
            {
                foreach (var address in result.Addresses)
                {
                    dns[address] = await ReverseLookupAsync(address, cancellationToken);
                }
            }

            if (output.Json)
            {
                output.WriteJsonLine(new
                {
                    name = NameDisplay.Json(result.Name),
                    via = how,
                    outcome = result.Outcome.ToString(),
                    rcode = result.Rcode?.ToString(),
                    conflicting = result.Outcome == QueryOutcome.Conflict || result.HasConflictingAnswers,
                    answers = result.Answers.Select(a => new
                    {
                        address = a.Address.ToString(),
                        dnsName = reverse ? dns.GetValueOrDefault(a.Address) : null,
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
                foreach (var a in result.Answers)
                {
                    string[] row =
                    [
                        a.Address.ToString(), NameDisplay.Display(result.Name), a.IsGroup ? "GROUP" : "UNIQUE", $"{a.NodeType}-node",
                        $"ttl={(long)a.Ttl.TotalSeconds}", a.Responder is { } r ? $"from {r.Address}" : a.Source.ToString().ToLowerInvariant(),
                    ];
                    rows.Add(reverse ? [dns.GetValueOrDefault(a.Address) is { } host ? host + "," : "-,", .. row] : row);
                }

                foreach (string diagnostic in result.Diagnostics)
                {
                    rows.Add([$"note: {diagnostic}"]);
                }

                if (result.HasConflictingAnswers)
                {
                    rows.Add([$"warning: several nodes claim {NameDisplay.Display(result.Name)} (conflict or spoofing)"]);
                }
            }

            if (result.Outcome == QueryOutcome.Found)
            {
                continue;
            }

            exit = ExitCodes.NotFound;
            output.Error(result.Outcome == QueryOutcome.Conflict
                ? $"{name}: conflicting answers, none verified by node status (conflict or spoofing)"
                : result.Rcode is { } rcode ? $"{name}: negative answer ({rcode})" : $"{name}: not found (no answer)");
        }

        WriteRows(output, rows);
        return exit;
    }

    // Answer rows are aligned together; a note or warning (one cell) is printed as it is.
    private static void WriteRows(Output output, List<string[]> rows)
    {
        var answers = rows.Where(r => r.Length > 1).ToList();
        int columns = answers.Count == 0 ? 0 : answers.Max(r => r.Length);
        int[] widths = Enumerable.Range(0, columns).Select(c => answers.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        foreach (var row in rows)
        {
            output.Line(row.Length == 1 ? row[0] : string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>The DNS name of an address (nmblookup -T), or null when there is none within <see cref="ReverseTimeout"/>.</summary>
    internal static async Task<string?> ReverseLookupAsync(IPAddress address, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await Dns.GetHostEntryAsync(address.ToString(), cancellationToken).WaitAsync(ReverseTimeout, TimeProvider.System, cancellationToken);
            return string.IsNullOrEmpty(entry.HostName) || entry.HostName == address.ToString() ? null : entry.HostName;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or TimeoutException or ArgumentException)
        {
            return null;
        }
    }
}
