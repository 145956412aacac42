using System.CommandLine;
using System.Globalization;
using NetBios.Daemon;
using NetBios.NameService;

namespace Nbt.Cli.Commands;

/// <summary><c>nbt names</c>: the name table of the daemon's stations with each name's state and who holds it (like
/// <c>nbtstat -n</c>); through nbtd only.</summary>
internal static class NamesCommand
{
    private static readonly string[] Header = ["NAME", "TYPE", "STATE", "TTL", "TTL LEFT", "REFRESH IN", "HELD BY"];

    public static Command Create(Output output)
    {
        var command = DaemonAdminCommand.WithOptions(new Command("names", "The names of the NetBIOS daemon's stations: state, TTL, time left and next refresh, who holds each (like nbtstat -n; needs nbtd)"));
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        byte lana = DaemonAdminCommand.SelectedLana(parse);
        await using var daemon = await DaemonAdminCommand.RequireAsync("names", output, cancellationToken);
        var admin = new NetBiosDaemonAdministration(daemon);
        var stations = await DaemonAdminCommand.RunAsync(() => admin.GetStationsAsync(cancellationToken));
        var names = await DaemonAdminCommand.RunAsync(() => admin.GetNamesAsync(lana, cancellationToken));
        if (output.Json)
        {
            output.WriteJson(new
            {
                names = names.Select(n => new
                {
                    lana = n.Lana,
                    name = NameDisplay.Json(n.Name),
                    group = n.IsGroup,
                    permanent = n.IsPermanent,
                    state = State(n.State),
                    ttl = (long)n.Ttl.TotalSeconds,
                    ttlLeft = Seconds(n.TtlLeft),
                    nextRefresh = Seconds(n.NextRefresh),
                    conflictOwner = n.ConflictOwner?.ToString(),
                    holder = DaemonAdminCommand.HolderJson(n.Holder),
                    pid = n.Holder == NetBiosDaemonNameHolder.Client ? n.ProcessId : (int?)null,
                    uid = n.Holder == NetBiosDaemonNameHolder.Station ? (uint?)null : n.UserId,
                }),
            });
            return ExitCodes.Ok;
        }

        foreach (var station in stations.Where(s => lana == NetBiosDaemonAdministration.AllLanas || s.Lana == lana))
        {
            output.Line($"LANA {station.Lana}: {station.Address}, {station.NodeType}-node{(station.Scope.Length > 0 ? ", scope " + station.Scope : string.Empty)}");
            var rows = new List<string[]> { Header };
            rows.AddRange(names.Where(n => n.Lana == station.Lana).Select(n => new[]
            {
                NameDisplay.Display(n.Name),
                n.IsGroup ? "GROUP" : "UNIQUE",
                State(n.State) + (n.ConflictOwner is { } owner ? $" ({owner})" : string.Empty),
                n.Ttl > TimeSpan.Zero ? ((long)n.Ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s" : "-",
                Seconds(n.TtlLeft) is { } left ? left.ToString(CultureInfo.InvariantCulture) + " s" : "-",
                Seconds(n.NextRefresh) is { } refresh ? refresh.ToString(CultureInfo.InvariantCulture) + " s" : "-",
                DaemonAdminCommand.Holder(n.Holder, n.ProcessId, n.UserId) + (n.IsPermanent ? ", permanent" : string.Empty),
            }));
            output.Table(rows, "    ");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Whole seconds (rounded up, so a countdown shows 0 only once it is due), or null.</summary>
    private static long? Seconds(TimeSpan? span) => span is { } value ? (long)Math.Ceiling(value.TotalSeconds) : null;

    /// <summary>The state as nbtstat words it.</summary>
    private static string State(LocalNameState state) => state switch
    {
        LocalNameState.Registering => "Registering",
        LocalNameState.Registered => "Registered",
        LocalNameState.Deregistered => "Deregistering",
        _ => "Conflict",
    };
}
