using System.CommandLine;
using Microsoft.Extensions.Logging;
using Nbt.Cli.Configuration;
using NetBios.NameServer;
using NetBios.NameServer.Hosting;
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

    /// <summary>Opens the store the bound options of <c>nbt wins</c> name.</summary>
    /// <param name="options">The bound <c>database</c> and <c>database-url</c>.</param>
    /// <param name="create">Create an SQLite file (and the PostgreSQL schema) that does not exist yet: true for a server, false for <c>nbt wins</c>.</param>
    /// <param name="loggerFactory">Where the store logs.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public static Task<IWinsStore> OpenAsync(NbtWinsOptions options, bool create, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        OpenAsync(options.Database, options.DatabaseUrl, create, loggerFactory, cancellationToken);

    /// <summary>Opens an SQLite file (<paramref name="path"/>; the default path when both are null) or a PostgreSQL database (<paramref name="url"/>).</summary>
    /// <remarks>The opening itself is <see cref="WinsStoreLocation"/>, shared with nbtd; this maps its failures to nbt's messages and exit codes.</remarks>
    public static async Task<IWinsStore> OpenAsync(string? path, string? url, bool create, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        try
        {
            return await WinsStoreLocation.OpenAsync(path, url, create, loggerFactory.CreateLogger("Nbt.Wins.Store"), cancellationToken);
        }
        catch (WinsStoreOpenException ex)
        {
            throw ex.Failure switch
            {
                WinsStoreFailure.BothGiven => new CliException("--database and --database-url: give one of them", ExitCodes.Usage),
                WinsStoreFailure.BadUrl => new CliException($"--database-url: {ex.Detail}", ExitCodes.Usage),
                WinsStoreFailure.ServerUnavailable => new CliException($"--database-url: {ex.Detail}", ExitCodes.Network),
                WinsStoreFailure.BadPath => new CliException($"--database: {ex.Detail}", ExitCodes.Usage),
                WinsStoreFailure.FileMissing => new CliException($"--database {ex.Detail}", ExitCodes.Usage),
                _ => new CliException(ex.DetailNamesPath ? ex.Detail : $"{ex.Path}: {ex.Detail}", ExitCodes.Network),
            };
        }
    }
}
