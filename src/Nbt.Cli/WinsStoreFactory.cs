using System.CommandLine;
using Microsoft.Extensions.Logging;
using NetBios.NameServer;
using NetBios.NameServer.PostgreSql;
using NetBios.NameServer.Sqlite;

namespace Nbt.Cli;

/// <summary>
/// Opens the WINS database a command names: <c>--database PATH</c> (an SQLite file), <c>--database-url URL</c> (a
/// PostgreSQL database shared by several servers), or, with neither, the SQLite file at
/// <see cref="SqliteWinsStore.DefaultPath"/>. Every failure is a one-line <see cref="CliException"/>: a bad path or URL
/// exits with <see cref="ExitCodes.Usage"/>, an unreadable, locked or corrupt database or an unreachable server with
/// <see cref="ExitCodes.Network"/>.
/// </summary>
internal static class WinsStoreFactory
{
    /// <summary><c>--database PATH</c>.</summary>
    public static readonly Option<string?> Database = new("--database")
    { HelpName = "PATH",
        Description = $"The WINS server's SQLite database file (default {SqliteWinsStore.DefaultPath})",
    };

    /// <summary><c>--database-url URL</c>.</summary>
    public static readonly Option<string?> DatabaseUrl = new("--database-url")
    { HelpName = "URL",
        Description = "A PostgreSQL WINS database shared by several servers: postgres://user:password@host:port/database or an Npgsql connection string",
    };

    /// <summary>Opens the store the parsed options name.</summary>
    /// <param name="parse">The command line holding <see cref="Database"/> and <see cref="DatabaseUrl"/>.</param>
    /// <param name="create">Create an SQLite file (and the PostgreSQL schema) that does not exist yet: true for a server, false for <c>nbt wins</c>.</param>
    /// <param name="loggerFactory">Where the store logs.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public static Task<IWinsStore> OpenAsync(ParseResult parse, bool create, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        OpenAsync(parse.GetValue(Database), parse.GetValue(DatabaseUrl), create, loggerFactory, cancellationToken);

    /// <summary>Opens an SQLite file (<paramref name="path"/>; the default path when both are null) or a PostgreSQL database (<paramref name="url"/>).</summary>
    public static async Task<IWinsStore> OpenAsync(string? path, string? url, bool create, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (path is not null && url is not null)
        {
            throw new CliException("--database and --database-url: give one of them", ExitCodes.Usage);
        }

        var logger = loggerFactory.CreateLogger("Nbt.Wins.Store");
        if (url is not null)
        {
            try
            {
                return await PostgreSqlWinsStore.OpenAsync(url, new PostgreSqlWinsStoreOptions { CreateSchema = create }, logger, cancellationToken);
            }
            catch (ArgumentException ex)
            {
                throw new CliException($"--database-url: {OneLine(ex.Message)}", ExitCodes.Usage);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or Npgsql.PostgresException)
            {
                throw new CliException($"--database-url: {OneLine(ex.Message)}", ExitCodes.Network);
            }
        }

        path ??= SqliteWinsStore.DefaultPath;
        if (path.Length == 0 || path.AsSpan().ContainsAny("\0\n\r"))
        {
            throw new CliException("--database: not a file path", ExitCodes.Usage);
        }

        try
        {
            return await SqliteWinsStore.OpenAsync(path, new SqliteWinsStoreOptions { CreateIfMissing = create }, logger: logger, cancellationToken: cancellationToken);
        }
        catch (FileNotFoundException ex)
        {
            throw new CliException($"--database {OneLine(ex.Message)}", ExitCodes.Usage);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            string message = OneLine(ex.Message);
            throw new CliException(message.Contains(path, StringComparison.Ordinal) ? message : $"{path}: {message}", ExitCodes.Network);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
