using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.Diagnostics;
using NetBios.NameServer;
using NetBios.Station;
using NetBios.Station.Hosting;
using NetBios.Transport;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.SessionService;
using Nbtd.Configuration;

namespace Nbtd.Hosting;

/// <summary>
/// Binds what the configuration asks for, before the host starts its services: the WINS store (opened first, so a
/// bad database fails before any port is taken), one station per <see cref="StationSettings"/> with
/// <see cref="NetBiosStation.BindAsync(NetworkAdapter, StationOptions?, INetworkHost?, TimeProvider?, ILoggerFactory?, CancellationToken)"/>,
/// and the WINS server on its station's name service endpoint (after the node's responder). Each is put into the
/// <see cref="StationRegistry"/> and measured by <see cref="NetBiosMetrics"/>. <see cref="StopAsync"/> undoes it in the
/// reverse order, within a time bound: the stations first (their names are released, to the local WINS server too),
/// then the server, then the store.
/// </summary>
/// <remarks>Not thread-safe: bind once, stop once (further calls do nothing).</remarks>
internal sealed class StationBinder(
    NbtdOptions options, StationRegistry registry, NetBiosMetrics metrics, ILoggerFactory loggerFactory, TimeProvider time) : IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Nbtd");
    private readonly List<BoundStation> _bound = [];
    private IWinsStore? _store;
    private WinsServer? _wins;
    private bool _stopped;

    /// <summary>The bound stations, in configuration order.</summary>
    public IReadOnlyList<BoundStation> Bound => _bound;

    /// <summary>Binds the stations and starts the WINS server.</summary>
    /// <param name="host">Where sockets come from (<see cref="SocketNetworkHost.Default"/>).</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <exception cref="NbtdStartupException">An interface does not exist, a port is in use or needs privileges, or the
    /// WINS database cannot be opened; whatever was bound is released again.</exception>
    public async Task BindAllAsync(INetworkHost host, CancellationToken cancellationToken)
    {
        var wins = options.WinsServer;
        byte? winsLana = wins.Enabled ? wins.Lana ?? options.Stations[0].Lana : null;
        try
        {
            if (wins.Enabled)
            {
                _store = await WinsStoreOpener.OpenAsync(wins, loggerFactory, cancellationToken).ConfigureAwait(false);
            }

            var adapters = NetworkAdapters.Enumerate(includeLoopback: true);
            for (int i = 0; i < options.Stations.Count; i++)
            {
                var settings = options.Stations[i];
                var adapter = SelectAdapter(adapters, settings, i);
                var stationOptions = BuildStationOptions(settings, adapter, ownNameServer: winsLana == settings.Lana);
                if (settings.Lmhosts is { } lmhosts)
                {
                    try
                    {
                        stationOptions.NameService.Lmhosts = LmhostsFile.Load(lmhosts, settings.Scope);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        throw new NbtdStartupException($"Stations:{i}:Lmhosts: cannot read {lmhosts}: {ex.Message}", ex);
                    }
                }

                NetBiosStation station;
                try
                {
                    station = await NetBiosStation.BindAsync(adapter, stationOptions, host, time, loggerFactory, cancellationToken).ConfigureAwait(false);
                }
                catch (TransportBindException ex)
                {
                    throw new NbtdStartupException($"Stations:{i} (LANA {settings.Lana}): {ex.Message}{Hint(ex, i)}", ex);
                }

                _bound.Add(new BoundStation(settings, station));
                registry.Add(settings.Lana, station);
                metrics.AddStation(settings.Lana, station);
                NbtdLog.StationBound(_logger, settings.Lana, station.NodeType.ToString(), station.Address, station.NameServiceEndPoint,
                    station.DatagramEndPoint, station.SessionEndPoint?.ToString() ?? "not accepted");

                if (winsLana == settings.Lana)
                {
                    var serverOptions = NbtdOptionsReader.ToServerOptions(wins);
                    serverOptions.OwnAddress = station.Address;
                    serverOptions.ChallengePort = settings.NameServicePort;
                    _wins = new WinsServer(station.Names.Endpoint, _store!, serverOptions, time, loggerFactory);
                    registry.SetWinsServer(settings.Lana, _wins);
                    metrics.AddWinsServer(settings.Lana, _wins);
                    NbtdLog.WinsStarted(_logger, settings.Lana, station.NameServiceEndPoint, _store!.GetType().Name);
                }
            }
        }
        catch
        {
            await StopAsync(options.ShutdownTimeout).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops everything bound: the stations (releasing their names), the WINS server, the store; waits at most
    /// <paramref name="timeout"/> in all.</summary>
    /// <param name="timeout">The bound on the whole stop.</param>
    /// <returns>True when everything stopped in time.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_stopped)
        {
            return true;
        }

        _stopped = true;
        var stopping = StopCoreAsync();
        var finished = await Task.WhenAny(stopping, Task.Delay(timeout, time)).ConfigureAwait(false);
        if (finished != stopping)
        {
            NbtdLog.StopTimedOut(_logger, timeout);
            return false;
        }

        return true;
    }

    /// <summary>Stops everything within <see cref="NbtdOptions.ShutdownTimeout"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(options.ShutdownTimeout).ConfigureAwait(false);

    private async Task StopCoreAsync()
    {
        // Stations first, together: their releases still reach the local WINS server.
        await Task.WhenAll(_bound.Select(b => DisposeQuietlyAsync(b.Station, $"LANA {b.Settings.Lana}"))).ConfigureAwait(false);
        foreach (var bound in _bound)
        {
            metrics.Remove(bound.Settings.Lana);
        }

        if (_wins is not null)
        {
            await DisposeQuietlyAsync(_wins, "the WINS server").ConfigureAwait(false);
        }

        if (_store is not null)
        {
            await DisposeQuietlyAsync(_store, "the WINS store").ConfigureAwait(false);
        }

        registry.Clear();
    }

    private async Task DisposeQuietlyAsync(IAsyncDisposable item, string what)
    {
        try
        {
            await item.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // stopping goes on with the rest whatever one part throws; the failure is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            NbtdLog.StopFailed(_logger, what, ex);
        }
    }

    /// <summary>The adapter of a station: its <c>Interface</c>, or the first non-loopback IPv4 interface, else loopback.</summary>
    private static NetworkAdapter SelectAdapter(IReadOnlyList<NetworkAdapter> all, StationSettings settings, int index)
    {
        if (settings.Interface is { } spec)
        {
            try
            {
                return NetworkAdapters.Select(all, spec)[0];
            }
            catch (ArgumentException ex)
            {
                throw new NbtdStartupException($"Stations:{index}:Interface {spec}: {ex.Message.Split(" (Parameter")[0]}", ex);
            }
        }

        return all.FirstOrDefault(a => !IPAddress.IsLoopback(a.Address))
            ?? (all.Count > 0 ? all[0] : null)
            ?? NetworkAdapter.Create(IPAddress.Loopback, 8);
    }

    /// <summary>The station's options: a node on its ports; with the WINS server on it and no <c>Wins</c>, its own address is its name server.</summary>
    internal static StationOptions BuildStationOptions(StationSettings settings, NetworkAdapter adapter, bool ownNameServer)
    {
        var names = StationOptionsRecipe.NameService(settings.NameServicePort, settings.Scope, settings.NodeType, settings.Wins,
            ownNameServer ? () => adapter.Address : null);
        var options = StationOptionsRecipe.Station(names, settings.DatagramPort, settings.SessionPort);
        options.Role = StationRole.Node;
        options.AcceptSessions = settings.AcceptSessions;
        return options;
    }

    private static string Hint(TransportBindException ex, int index)
    {
        bool session = ex.Protocol == "TCP";
        return ex.Reason switch
        {
            BindFailureReason.AddressInUse when session => $" (is smbd running? give Stations:{index}:SessionPort or AcceptSessions=false)",
            BindFailureReason.AddressInUse => " (is nmbd or another NetBIOS node running?)",
            BindFailureReason.AccessDenied => "; ports below 1024 need root or CAP_NET_BIND_SERVICE (see eng/systemd/nbtd.service)",
            _ => string.Empty,
        };
    }
}
