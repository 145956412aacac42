using System.CommandLine;
using System.Globalization;
using NetBios.Daemon;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary><c>nbt cache [--purge]</c>: the name cache of the daemon's stations (like <c>nbtstat -c</c>), or with
/// <c>--purge</c> empty it and load the LMHOSTS <c>#PRE</c> entries again (like <c>nbtstat -R</c>; the daemon's
/// ManageStation permission, root by default); through nbtd only.</summary>
internal static class CacheCommand
{
    private static readonly string[] Header = ["LANA", "NAME", "TYPE", "ADDRESS", "SOURCE", "LIFE"];

    private static readonly Option<bool> Purge = new("--purge", "-R") { Description = "Empty the cache and reload the LMHOSTS #PRE entries (nbtstat -R; root or Ipc:AccessPolicy:ManageStation)" };

    public static Command Create(Output output)
    {
        var command = DaemonAdminCommand.WithOptions(new Command("cache", "The name cache of the NetBIOS daemon's stations (like nbtstat -c); --purge empties it (nbtstat -R; needs nbtd)") { Purge });
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        byte lana = DaemonAdminCommand.SelectedLana(parse);
        await using var daemon = await DaemonAdminCommand.RequireAsync("cache", output, cancellationToken);
        var admin = new NetBiosDaemonAdministration(daemon);
        if (CliSettings.For(parse).Get<NbtCacheOptions>().Purge)
        {
            var results = await DaemonAdminCommand.RunAsync(() => admin.PurgeCacheAsync(lana, cancellationToken));
            if (output.Json)
            {
                output.WriteJson(new { purged = results.Select(r => new { lana = r.Lana, purged = r.Purged, preloaded = r.Preloaded }) });
            }
            else
            {
                foreach (var result in results)
                {
                    output.Line($"LANA {result.Lana}: purged {result.Purged} entr{(result.Purged == 1 ? "y" : "ies")}, reloaded {result.Preloaded} LMHOSTS #PRE entr{(result.Preloaded == 1 ? "y" : "ies")}");
                }
            }

            return ExitCodes.Ok;
        }

        var entries = await DaemonAdminCommand.RunAsync(() => admin.GetCacheAsync(lana, cancellationToken));
        if (output.Json)
        {
            output.WriteJson(new
            {
                cache = entries.Select(e => new
                {
                    lana = e.Lana,
                    name = NameDisplay.Json(e.Name),
                    negative = e.IsNegative,
                    permanent = e.IsPermanent,
                    expiresIn = e.IsPermanent ? (long?)null : (long)e.ExpiresIn.TotalSeconds,
                    addresses = e.Answers.Select(a => new { address = a.Address.ToString(), group = a.IsGroup, nodeType = a.NodeType.ToString(), source = a.Source.ToString() }),
                }),
            });
            return ExitCodes.Ok;
        }

        if (entries.Count == 0)
        {
            output.Line("The name cache is empty.");
            return ExitCodes.Ok;
        }

        var rows = new List<string[]> { Header };
        rows.AddRange(entries.Select(e => new[]
        {
            e.Lana.ToString(CultureInfo.InvariantCulture),
            NameDisplay.Display(e.Name),
            e.IsNegative ? "-" : e.Answers.Any(a => a.IsGroup) ? "GROUP" : "UNIQUE",
            e.IsNegative ? "(not found)" : string.Join(", ", e.Answers.Select(a => a.Address.ToString())),
            e.Answers.Count > 0 ? e.Answers[0].Source.ToString() : "-",
            e.IsPermanent ? "permanent" : ((long)e.ExpiresIn.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s",
        }));
        output.Table(rows);
        return ExitCodes.Ok;
    }
}
