using Microsoft.Extensions.Logging;
using NetBios.NameServer.PostgreSql;
using NetBios.NameServer.Sqlite;

namespace NetBios.NameServer.Hosting;

/// <summary>
/// Where a WINS server keeps its records, as the tools name it, and the one way both open it: an SQLite file (a path;
/// <see cref="SqliteWinsStore.DefaultPath"/> when neither is given), a PostgreSQL database shared by several servers (a
/// <c>postgres://</c> URL or an Npgsql connection string), or <see cref="InMemory"/>. Used by nbt (<c>--database</c>,
/// <c>--database-url</c>) and nbtd (<c>WinsServer:Database</c>, <c>WinsServer:DatabaseUrl</c>), which word the
/// failures their own way from <see cref="WinsStoreOpenException"/>.
/// </summary>
/// <remarks>Shared source (src/Shared, a linked <c>Compile</c> item of src/Nbt.Cli and src/Nbtd), internal to each tool:
/// the two tools are not libraries, and no library references both store packages.</remarks>
internal static class WinsStoreLocation
{
    /// <summary>The path that means "in memory only, lost when the server stops".</summary>
    public const string InMemory = ":memory:";

    /// <summary>Opens the store.</summary>
    /// <param name="path">An SQLite file, <see cref="InMemory"/>, or null (the default file, unless <paramref name="url"/> is given).</param>
    /// <param name="url">A PostgreSQL database, or null.</param>
    /// <param name="create">Create the SQLite file (and the PostgreSQL schema) when missing: true for a server, false for an admin tool.</param>
    /// <param name="logger">Where the store logs.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The store; the caller disposes it.</returns>
    /// <exception cref="WinsStoreOpenException">Both or a bad location was given, or the database cannot be opened.</exception>
    public static async Task<IWinsStore> OpenAsync(string? path, string? url, bool create, ILogger logger, CancellationToken cancellationToken)
    {
        if (path is not null && url is not null)
        {
            throw new WinsStoreOpenException(WinsStoreFailure.BothGiven, null, "give one of them");
        }

        if (path == InMemory)
        {
            return new InMemoryWinsStore();
        }

        if (url is not null)
        {
            try
            {
                return await PostgreSqlWinsStore.OpenAsync(url, new PostgreSqlWinsStoreOptions { CreateSchema = create }, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new WinsStoreOpenException(WinsStoreFailure.BadUrl, null, OneLine(ex.Message), ex);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or Npgsql.NpgsqlException or TimeoutException)
            {
                throw new WinsStoreOpenException(WinsStoreFailure.ServerUnavailable, null, OneLine(ex.Message), ex);
            }
        }

        path ??= SqliteWinsStore.DefaultPath;
        if (path.Length == 0 || path.AsSpan().ContainsAny("\0\n\r"))
        {
            throw new WinsStoreOpenException(WinsStoreFailure.BadPath, path, "not a file path");
        }

        try
        {
            return await SqliteWinsStore.OpenAsync(path, new SqliteWinsStoreOptions { CreateIfMissing = create }, logger: logger, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (FileNotFoundException ex)
        {
            throw new WinsStoreOpenException(WinsStoreFailure.FileMissing, path, OneLine(ex.Message), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            throw new WinsStoreOpenException(ex is ArgumentException ? WinsStoreFailure.BadPath : WinsStoreFailure.FileUnavailable, path, OneLine(ex.Message), ex);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
