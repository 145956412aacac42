using System.CommandLine;
using System.Globalization;
using NetBios;
using NetBios.NameServer;
using Nbt.Cli.Configuration;
using Nbt.Cli.Wins;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt wins list|show|delete</c>: reads and edits a WINS server's database (the running nbtd's, through the daemon;
/// the SQLite file; or a PostgreSQL database with <c>--database-url</c>): each name's type, state, owner, addresses,
/// version and expiry.
/// </summary>
internal static class WinsCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { HelpName = "NAME", Description = "NAME, NAME#xx or NAME<XX> (default suffix <00>; --scope for a scoped name)" };

    public static Command Create(Output output)
    {
        var list = new Command("list", "List every name in the database") { WinsStoreFactory.Database, WinsStoreFactory.DatabaseUrl };
        list.SetAction((parse, cancellationToken) => output.RunAsync(parse, ListAsync, cancellationToken));
        var show = new Command("show", "Show one name: type, state, owner, addresses, version, expiry") { NameArgument, WinsStoreFactory.Database, WinsStoreFactory.DatabaseUrl };
        show.SetAction((parse, cancellationToken) => output.RunAsync(parse, ShowAsync, cancellationToken));
        var delete = new Command("delete", "Delete one name from the database (through nbtd while it serves; a server that has the SQLite file open must be stopped first)") { NameArgument, WinsStoreFactory.Database, WinsStoreFactory.DatabaseUrl };
        delete.SetAction((parse, cancellationToken) => output.RunAsync(parse, DeleteAsync, cancellationToken));
        CommonOptions.AddOutput(list);
        CommonOptions.AddOutput(show);
        CommonOptions.AddOutput(delete);
        show.Options.Add(CommonOptions.Scope);
        delete.Options.Add(CommonOptions.Scope);
        return new Command("wins", "Read and edit a WINS server's database") { list, show, delete };
    }

    private static async Task<int> ListAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        await using var database = await OpenAsync(parse, output, cancellationToken);
        var (records, maxVersion) = await database.ListAsync(cancellationToken);
        if (output.Json)
        {
            output.WriteJson(records.Select(ToJson));
            return ExitCodes.Ok;
        }

        output.Info($"{records.Count} names, last version {maxVersion}");
        output.Table(records.Select(static r => new[]
        {
            r.Name.ToString(), r.Type.ToString(), r.State.ToString(), $"v{r.Version}", Time(r.Expires), $"owner {r.Owner}",
            r.Addresses.IsDefaultOrEmpty ? "-" : string.Join(',', r.Addresses.Select(a => a.Address.ToString())),
        }));
        return ExitCodes.Ok;
    }

    private static Task<int> ShowAsync(ParseResult parse, Output output, CancellationToken cancellationToken) =>
        WithRecordAsync(parse, output, (_, _, record) => Task.FromResult(Show(record, output)), cancellationToken);

    private static int Show(WinsRecord record, Output output)
    {
        if (output.Json)
        {
            output.WriteJson(ToJson(record));
            return ExitCodes.Ok;
        }

        output.Table(
        [
            ["name", record.Name.ToString()],
            ["type", record.Type.ToString()],
            ["state", record.State.ToString()],
            ["node type", $"{record.NodeType}-node"],
            ["static", record.IsStatic ? "yes" : "no"],
            ["owner", record.Owner.ToString()],
            ["version", record.Version.ToString(CultureInfo.InvariantCulture)],
            ["expires", Time(record.Expires)],
            .. record.Addresses.IsDefaultOrEmpty
                ? [["addresses", record.Type == WinsRecordType.Group ? "(normal group: 255.255.255.255)" : "-"]]
                : record.Addresses.Select((a, i) => new[] { i == 0 ? "addresses" : string.Empty, $"{a.Address}  owner {a.Owner}  expires {Time(a.Expires)}" }),
        ]);
        return ExitCodes.Ok;
    }

    private static Task<int> DeleteAsync(ParseResult parse, Output output, CancellationToken cancellationToken) =>
        WithRecordAsync(parse, output, (database, name, record) => DeleteAsync(database, name, record, output, cancellationToken), cancellationToken);

    private static async Task<int> DeleteAsync(IWinsDatabase database, NetBiosName name, WinsRecord record, Output output, CancellationToken cancellationToken)
    {
        var result = await database.DeleteAsync(record.Name, record.Version, cancellationToken);
        if (!result.Succeeded)
        {
            output.Error($"{name}: changed by a server meanwhile (now version {result.Record?.Version.ToString(CultureInfo.InvariantCulture) ?? "deleted"}); not deleted");
            return ExitCodes.NotFound;
        }

        if (output.Json)
        {
            output.WriteJson(new { deleted = ToJson(record) });
        }
        else
        {
            output.Line($"deleted {record.Name} (version {record.Version}, {record.State}, owner {record.Owner})");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Opens the database, finds the typed name (exit 1 when it is absent) and runs <paramref name="action"/> on its record.</summary>
    private static async Task<int> WithRecordAsync(ParseResult parse, Output output, Func<IWinsDatabase, NetBiosName, WinsRecord, Task<int>> action,
        CancellationToken cancellationToken)
    {
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, NetBiosName.DefaultSuffix, CliSettings.For(parse).Network.Scope);
        await using var database = await OpenAsync(parse, output, cancellationToken);
        var record = await FindAsync(database, name, parse, cancellationToken);
        if (record is null)
        {
            output.Error($"{name}: not in the database");
            return ExitCodes.NotFound;
        }

        return await action(database, name, record);
    }

    /// <summary>
    /// The record of a typed name: as people type names, upper-cased first; when that is absent, the bytes exactly as
    /// typed (names are case-sensitive bytes, and a client may have registered a lower-case one).
    /// </summary>
    private static async Task<WinsRecord?> FindAsync(IWinsDatabase database, NetBiosName upper, ParseResult parse, CancellationToken cancellationToken)
    {
        if (await database.FindAsync(upper, cancellationToken) is { } record)
        {
            return record;
        }

        return NetBiosName.TryParse(parse.GetValue(NameArgument)!, 0x00, CliSettings.For(parse).Network.Scope, NetBiosNameOptions.None, out var exact, out _) && exact != upper
            ? await database.FindAsync(exact, cancellationToken)
            : null;
    }

    /// <summary>
    /// The database the command works on: the one <c>--database</c> / <c>--database-url</c> name; else the WINS server's
    /// of the running nbtd (chosen as every command chooses the daemon: NBT_DAEMON), safe while it serves; else the
    /// default SQLite file. <c>-v</c> says which.
    /// </summary>
    private static async Task<IWinsDatabase> OpenAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CliSettings.For(parse).Get<NbtWinsOptions>();
        if (options.Database is null && options.DatabaseUrl is null && await DaemonChoice.ConnectAsync(output, cancellationToken) is { } daemon)
        {
            var fromDaemon = new DaemonWinsDatabase(daemon);
            if (await fromDaemon.HasWinsServerAsync(cancellationToken))
            {
                output.Progress("the database of the NetBIOS daemon's WINS server");
                return fromDaemon;
            }

            await fromDaemon.DisposeAsync();
            output.Progress("the NetBIOS daemon runs no WINS server: opening the database file");
        }

        return new StoreWinsDatabase(await WinsStoreFactory.OpenAsync(options, create: false, Loggers(parse, output), cancellationToken));
    }

    /// <summary>The store's log (its open line) only with --verbose: stderr stays for errors.</summary>
    private static Microsoft.Extensions.Logging.ILoggerFactory Loggers(ParseResult parse, Output output) =>
        output.Verbosity > 0 ? output.LoggerFactory : Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    private static object ToJson(WinsRecord r) => new
    {
        name = NameDisplay.Json(r.Name),
        type = r.Type.ToString(),
        state = r.State.ToString(),
        nodeType = r.NodeType.ToString(),
        isStatic = r.IsStatic,
        owner = r.Owner.ToString(),
        version = r.Version,
        expires = r.Expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        addresses = (r.Addresses.IsDefault ? [] : r.Addresses).Select(a => new
        {
            address = a.Address.ToString(),
            owner = a.Owner.ToString(),
            expires = a.Expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        }),
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
