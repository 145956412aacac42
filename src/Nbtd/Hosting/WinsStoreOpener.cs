using Microsoft.Extensions.Logging;
using NetBios.NameServer;
using NetBios.NameServer.Hosting;
using NetBios.NameServer.Sqlite;
using Nbtd.Configuration;

namespace Nbtd.Hosting;

/// <summary>
/// Opens the WINS server's store from <see cref="WinsServerSettings"/>: the SQLite file <c>Database</c> (default
/// <see cref="SqliteWinsStore.DefaultPath"/>, created if missing), <c>:memory:</c>, or the PostgreSQL database
/// <c>DatabaseUrl</c> (schema created if missing). Failures are one-line <see cref="NbtdStartupException"/>s.
/// </summary>
/// <remarks>The opening is <see cref="WinsStoreLocation"/> (src/Shared), shared with nbt's WinsStoreFactory; this words its failures for nbtd's settings.</remarks>
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
        try
        {
            return await WinsStoreLocation.OpenAsync(settings.Database, settings.DatabaseUrl, create: true, loggerFactory.CreateLogger("Nbtd.Wins.Store"), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (WinsStoreOpenException ex)
        {
            throw new NbtdStartupException(ex.Failure switch
            {
                WinsStoreFailure.BothGiven => "WinsServer:DatabaseUrl: give Database or DatabaseUrl, not both",
                WinsStoreFailure.BadUrl or WinsStoreFailure.ServerUnavailable => $"WinsServer:DatabaseUrl: {ex.Detail}",
                _ when ex.DetailNamesPath => $"WinsServer:Database: {ex.Detail}",
                _ => $"WinsServer:Database {ex.Path}: {ex.Detail}",
            }, ex.InnerException ?? ex);
        }
    }
}
