using System.CommandLine;
using System.Globalization;
using NetBios.Daemon;
using NetBios.Diagnostics;

namespace Nbt.Cli.Commands;

/// <summary><c>nbt stats</c>: every NetBiosMetrics instrument of the daemon's stations and WINS server, by LANA and
/// address (like <c>nbtstat -r</c>, and more; docs/NBTD.md "Metrics"); through nbtd only.</summary>
internal static class StatsCommand
{
    public static Command Create(Output output)
    {
        var command = DaemonAdminCommand.WithOptions(new Command("stats", "The NetBIOS daemon's counters and gauges by LANA: packets, names, sessions, drops, WINS (like nbtstat -r; needs nbtd)"));
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        byte lana = DaemonAdminCommand.SelectedLana(parse);
        await using var daemon = await DaemonAdminCommand.RequireAsync("stats", output, cancellationToken);
        var admin = new NetBiosDaemonAdministration(daemon);
        var samples = (await DaemonAdminCommand.RunAsync(() => admin.GetStatisticsAsync(cancellationToken)))
            .Where(s => lana == NetBiosDaemonAdministration.AllLanas || s.GetTag("lana") is long l && l == lana)
            .ToList();
        if (output.Json)
        {
            output.WriteJson(new
            {
                metrics = samples.Select(s => new
                {
                    instrument = s.Instrument,
                    unit = s.Unit,
                    kind = s.Kind == NetBiosMetricKind.Counter ? "counter" : "gauge",
                    value = s.Value,
                    tags = s.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
                }),
            });
            return ExitCodes.Ok;
        }

        foreach (var group in samples.GroupBy(s => (Lana: s.GetTag("lana") as long?, Address: s.GetTag("address") as string)))
        {
            output.Line($"LANA {group.Key.Lana?.ToString(CultureInfo.InvariantCulture) ?? "?"} ({group.Key.Address ?? "?"})");
            output.Table(group.Select(s => new[]
            {
                s.Instrument + Detail(s),
                s.Value.ToString("N0", CultureInfo.InvariantCulture),
                s.Unit.Trim('{', '}') + (s.Kind == NetBiosMetricKind.Gauge ? " (now)" : string.Empty),
            }), "    ");
        }

        return ExitCodes.Ok;
    }

    /// <summary>The instrument's own tags (not lana and address): <c>[direction=sent]</c>.</summary>
    private static string Detail(NetBiosMetricSample sample)
    {
        var own = sample.Tags.Where(t => t.Key is not ("lana" or "address")).Select(t => $"{t.Key}={t.Value}").ToList();
        return own.Count == 0 ? string.Empty : $" [{string.Join(", ", own)}]";
    }
}
