using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetBios.Daemon;
using NetBios.Diagnostics;
using Nbtd.Configuration;

namespace Nbtd.Hosting;

/// <summary>
/// The local IPC server (docs/IPC.md) over the bound stations: started by <see cref="StartAsync(StationRegistry, CancellationToken)"/>
/// right after the stations are bound (so a socket that cannot be served is a one-line start error), stopped by the
/// host before the stations. The host stops hosted services in reverse order and this one is added after
/// <see cref="StationService"/>, so every client's names are released (NCB RESET) while its station still runs.
/// </summary>
internal sealed class LocalIpcService(NbtdOptions options, NetBiosMetrics metrics, ILoggerFactory loggerFactory, TimeProvider timeProvider) : IHostedService, IAsyncDisposable
{
    private NetBiosDaemonServer? _server;

    /// <summary>Binds the socket and serves clients over the registry's stations.</summary>
    /// <param name="registry">The bound stations.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <exception cref="NbtdStartupException">The socket cannot be served (another daemon answers on it, no permission…).</exception>
    public async Task StartAsync(StationRegistry registry, CancellationToken cancellationToken)
    {
        if (!options.IpcEnabled)
        {
            return;
        }

        var server = new NetBiosDaemonServer(registry.Stations, options.Ipc, loggerFactory, timeProvider)
        {
            Metrics = metrics, // `nbt stats`
            WinsServer = registry.WinsServer, // `nbt wins` through the daemon
        };
        var logger = loggerFactory.CreateLogger("Nbtd");
        if (options.HeldNamesFile is { } heldNamesFile)
        {
            // Set before the first client can HOLD a name; the names of the last run are held again once serving.
            server.HeldNames.StateFile = new HeldNameStateFile(heldNamesFile);
            server.HeldNames.OnSaveFailure = ex => NbtdLog.HeldNamesNotSaved(logger, heldNamesFile, ex.Message);
        }

        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new NbtdStartupException($"cannot serve local programs on {options.Ipc.SocketPath}: {ex.Message} (give Ipc:SocketPath, or Ipc:Enabled=false)");
        }

        _server = server;
        int restored = await server.HeldNames.RestoreAsync(registry.Stations, logger, cancellationToken).ConfigureAwait(false);
        if (restored > 0)
        {
            NbtdLog.HeldNamesRestored(logger, restored, options.HeldNamesFile!);
        }

        NbtdLog.Serving(logger, server.SocketPath);
    }

    /// <summary>Nothing: the server is started before the host (see the class remarks).</summary>
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Ends every client (its names, sessions and pending NCBs) and removes the socket.</summary>
    /// <param name="cancellationToken">The host's stop deadline.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server if the host did not (a start that failed after it was started).</summary>
    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
