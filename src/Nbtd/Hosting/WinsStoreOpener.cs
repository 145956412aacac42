using Microsoft.Extensions.Logging;
using NetBios.NameServer;
using NetBios.NameServer.PostgreSql;
using NetBios.NameServer.Sqlite;
using Nbtd.Configuration;

namespace Nbtd.Hosting;

/// <summary>
/// Opens the WINS server's store from <see cref="WinsServerSettings"/>: the SQLite file <c>Database</c> (default
/// <see cref="SqliteWinsStore.DefaultPath"/>, created if missing), <c>:memory:</c>, or the PostgreSQL database
/// <c>DatabaseUrl</c> (schema created if missing). Failures are one-line <see cref="NbtdStartupException"/>s.
/// </summary>
/// <remarks>The same choices as nbt's WinsStoreFactory (src/Nbt.Cli); the two could share one helper in a library later.</remarks>
internal static class WinsStoreOpener
{
    /// <summary>Opens the store.</summary>
    /// <param name="settings">The server's settings.</param>
    /// <param name="loggerFactory">Where the store logs.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The store; the caller disposes it after the server.</returns>
    /// <exception cref="NbtdStartupException">The database cannot be opened or created.</exception>
    public static async Task<IWinsStore> OpenAsync(WinsServerSettings settings, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("Nbtd.Wins.Store");
        if (settings.Database == WinsServerSettings.InMemoryDatabase)
        {
            return new InMemoryWinsStore();
        }

        if (settings.DatabaseUrl is { } url)
        {
            try
            {
                return await PostgreSqlWinsStore.OpenAsync(url, new PostgreSqlWinsStoreOptions { CreateSchema = true }, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or Npgsql.NpgsqlException or TimeoutException)
            {
                throw new NbtdStartupException($"WinsServer:DatabaseUrl: {OneLine(ex.Message)}", ex);
            }
        }

        string path = settings.Database ?? SqliteWinsStore.DefaultPath;
        try
        {
            return await SqliteWinsStore.OpenAsync(path, new SqliteWinsStoreOptions { CreateIfMissing = true }, logger: logger, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            string message = OneLine(ex.Message);
            throw new NbtdStartupException(message.Contains(path, StringComparison.Ordinal)
                ? $"WinsServer:Database: {message}"
                : $"WinsServer:Database {path}: {message}", ex);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
