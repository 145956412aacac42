using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.Diagnostics;
using NetBios.NameServer;
using NetBios.Station;
using NetBios.Transport;

namespace NetBios.Daemon;

/// <summary>
/// Serves a host's NetBIOS stations (one per LANA) to the programs of the machine over a Unix domain socket, in the
/// protocol of docs/IPC.md: each client gets its own NCB interface over the shared stations, so its names, sessions
/// and pending NCBs are its own, and everything it holds is released the moment its connection closes (also when the
/// process is killed: the kernel closes its socket).
/// </summary>
/// <remarks>
/// No thread per client: each connection is an async read loop and an async write loop over pipes. The stations belong
/// to the caller (nbtd); the server never disposes them.
/// </remarks>
public sealed class NetBiosDaemonServer : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<byte, NetBiosStation> _lanas;
    private readonly NetBiosDaemonServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _clientsLock = new();
    private readonly HashSet<DaemonClientConnection> _clients = [];
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private NetBiosMetrics? _ownMetrics;
    private int _disposed;

    /// <summary>Creates the server (nothing is bound until <see cref="StartAsync"/>).</summary>
    /// <param name="lanas">LANA number → station, started; owned by the caller.</param>
    /// <param name="options">The settings (validated here).</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="timeProvider">The clock for timeouts and log throttling; defaults to the system clock.</param>
    /// <exception cref="ArgumentException">No LANA, LANA 0xFF, or an invalid option (ParamName names it).</exception>
    public NetBiosDaemonServer(IReadOnlyDictionary<byte, NetBiosStation> lanas, NetBiosDaemonServerOptions options,
        ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(lanas);
        ArgumentNullException.ThrowIfNull(options);
        if (lanas.Count == 0 || lanas.ContainsKey(0xFF))
        {
            throw new ArgumentException("Give at least one LANA, numbered 0-254.", nameof(lanas));
        }

        options.Validate();
        _lanas = lanas;
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("NetBios.Daemon.Server");
        Time = timeProvider ?? TimeProvider.System;
        MisbehaviourLog = new LogThrottle(Time, options.MisbehaviourLogInterval);
        LanaNumbers = [.. lanas.Keys.Order()];
        HeldNames.Time = Time;
        NameClaims = new StationNameClaims(lanas);
    }

    /// <summary>Clients connected now.</summary>
    public int ClientCount
    {
        get
        {
            lock (_clientsLock)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>The socket the server listens on.</summary>
    public string SocketPath => _options.SocketPath;

    /// <summary>The metrics STATS reports (docs/IPC.md "Administration operations"): nbtd's instance, which measures its
    /// stations and WINS server. When not set, the server measures its stations itself on first use.</summary>
    public NetBiosMetrics? Metrics { get; set; }

    /// <summary>The WINS server whose database the WINS operations read and edit (docs/IPC.md "WINS operations"):
    /// nbtd's, when it runs one. Without it those operations answer NotFound ("no WINS server").</summary>
    public WinsServer? WinsServer { get; set; }

    /// <summary>Names the daemon holds itself for <c>nbt register</c> (HOLD NAME), released at stop.</summary>
    internal HeldNameRegistry HeldNames { get; } = new();

    /// <summary>The session SEND and RECEIVE buffers of every client's NCBs, reused (at most 4 MiB kept: sixty-four
    /// 64 KiB buffers).</summary>
    internal DaemonNcbBufferPool NcbBuffers { get; } = new(4 * 1024 * 1024);

    /// <summary>The metrics to report: <see cref="Metrics"/>, else the server's own over its stations.</summary>
    internal NetBiosMetrics EffectiveMetrics
    {
        get
        {
            if (Metrics is { } given)
            {
                return given;
            }

            lock (_clientsLock)
            {
                if (_ownMetrics is null)
                {
                    _ownMetrics = new NetBiosMetrics();
                    foreach (var (lana, station) in _lanas)
                    {
                        _ownMetrics.AddStation(lana, station);
                    }
                }

                return _ownMetrics;
            }
        }
    }

    /// <summary>Which client added which name through the station operations.</summary>
    internal StationNameClaims NameClaims { get; }

    /// <summary>The clients connected now.</summary>
    internal IReadOnlyList<DaemonClientConnection> ClientsSnapshot()
    {
        lock (_clientsLock)
        {
            return [.. _clients];
        }
    }

    internal IReadOnlyDictionary<byte, NetBiosStation> Stations => _lanas;

    internal IReadOnlyList<byte> LanaNumbers { get; }

    internal NetBiosDaemonServerOptions Options => _options;

    internal TimeProvider Time { get; }

    internal LogThrottle MisbehaviourLog { get; }

    internal ILogger Logger => _logger;

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>Creates the socket's directory if missing, replaces a stale socket, binds, applies mode and group, and
    /// starts accepting clients.</summary>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>When clients can connect.</returns>
    /// <exception cref="IOException">Another daemon answers on the socket, or the mode/group cannot be applied.</exception>
    /// <exception cref="SocketException">The socket cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is started already.");
        }

        string path = _options.SocketPath;
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory) && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        await RemoveStaleSocketAsync(path, cancellationToken).ConfigureAwait(false);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            UnixSocketFile.Apply(path, _options.ParsedSocketMode, _options.SocketGroup);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            TryDelete(path);
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
        DaemonServerLog.Listening(_logger, path, _options.SocketMode, _options.SocketGroup ?? "-", LanaNumbers.Count);
    }

    /// <summary>Stops accepting, ends every client (each releases what it held), removes the socket file.</summary>
    /// <returns>When every client is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is { } listener)
        {
            listener.Dispose();
            TryDelete(_options.SocketPath);
        }

        await _acceptLoop.ConfigureAwait(false);
        DaemonClientConnection[] clients;
        lock (_clientsLock)
        {
            clients = [.. _clients];
        }

        await Task.WhenAll(clients.Select(c => c.StopAsync(NetBiosDaemonError.ShuttingDown, "the daemon is shutting down"))).ConfigureAwait(false);

        // The names held for `nbt register` go last: released on the network like a DELETE NAME, within 10 s in all.
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10), Time))
        {
            await HeldNames.ReleaseAllAsync(_lanas, (held, ex) => AdminLog.HeldReleaseFailed(_logger, ex, held.Name, held.Lana), deadline.Token)
                .ConfigureAwait(false);
        }

        _ownMetrics?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Called by a client when it has released everything.</summary>
    internal void OnClientEnded(DaemonClientConnection client)
    {
        lock (_clientsLock)
        {
            _clients.Remove(client);
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: the loop never dies; wait a moment (on the injected clock) and go on.
                DaemonServerLog.AcceptFailed(_logger, ex.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), Time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var credentials = PeerCredentials.Of(socket);
            var client = new DaemonClientConnection(this, socket, credentials);
            bool admitted;
            lock (_clientsLock)
            {
                admitted = _clients.Count < _options.MaxClients && !_stopping.IsCancellationRequested;
                if (admitted)
                {
                    _clients.Add(client);
                }
            }

            if (admitted)
            {
                client.Start();
            }
            else
            {
                _ = client.RefuseAsync(NetBiosDaemonError.TooManyClients, $"the daemon serves its maximum of {_options.MaxClients} clients");
            }
        }
    }

    /// <summary>A socket file left by a daemon that is gone is removed; one a daemon answers on is an error.</summary>
    private static async Task RemoveStaleSocketAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return;
        }

        if ((File.GetAttributes(path) & FileAttributes.Directory) != 0)
        {
            throw new IOException($"{path} is a directory.");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            File.Delete(path); // nobody listens: stale
            return;
        }

        throw new IOException($"Another NetBIOS daemon answers on {path}.");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Gone already or not ours to delete.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to delete.
        }
    }
}
