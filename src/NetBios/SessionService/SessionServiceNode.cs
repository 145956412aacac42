using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.NameService;
using NetBios.Transport;

namespace NetBios.SessionService;

/// <summary>
/// The NetBIOS session service ([RFC 1001] 16, [RFC 1002] 4.3 and 5.3): one listener (TCP 139 by default) shared by
/// every local name, calls to other nodes, and the sessions between them.
/// </summary>
/// <remarks>
/// <para>
/// Decoupled from the name service: it sees the station's names through <see cref="ILocalNameRegistry"/> (for the
/// 0x82 "called name not present" answer) and resolves called names through <see cref="INameResolver"/>.
/// </para>
/// <para>
/// Limits against hostile peers (docs/RELIABILITY.md §1.6, SMBLoris): global and per-address connection caps, a deadline
/// for the SESSION REQUEST, for a frame once started and optionally for idleness, all checked by one timer on the
/// <see cref="TimeProvider"/>; nothing is allocated from a wire length, message bodies are streamed.
/// </para>
/// <para>Thread safety: all members may be called concurrently.</para>
/// </remarks>
public sealed partial class SessionServiceNode : IAsyncDisposable
{
    private readonly IStreamNetwork _network;
    private readonly ILocalNameRegistry _names;
    private readonly INameResolver _resolver;
    private readonly Lock _gate = new();
    private readonly List<ListenOperation> _listens = [];
    private readonly Dictionary<int, NbssSession> _sessions = [];
    private readonly HashSet<IncomingConnection> _incoming = [];
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly List<QueuedRequest> _queued = [];
    private readonly HashSet<NetBiosName> _servedNames = [];
    private readonly LogThrottle _evictions;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SessionContext _context;
    private readonly SessionTimers _timers;
    private IStreamListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _reservedSessions;
    private int _nextId;
    private bool _disposed;

    /// <summary>Creates a session service; call <see cref="StartAsync"/> to listen. Calls work without it.</summary>
    /// <param name="network">Where connections come from (TCP or in-memory).</param>
    /// <param name="options">Settings; validated and kept (do not change them afterwards).</param>
    /// <param name="names">The names registered on this node (a call to any other is answered 0x82).</param>
    /// <param name="resolver">Resolves a called name for <see cref="CallAsync(NetBiosName, NetBiosName, CancellationToken)"/>.</param>
    /// <param name="timeProvider">The clock for every timeout; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log; defaults to none.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SessionServiceNode(IStreamNetwork network, SessionServiceOptions options, ILocalNameRegistry names, INameResolver resolver,
        TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(resolver);
        options.Validate();
        _network = network;
        Options = options;
        _names = names;
        _resolver = resolver;
        _context = new SessionContext(options, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance, OnSessionEnded);
        _timers = new SessionTimers(_context, Watched);
        _evictions = new LogThrottle(_context.Time, TimeSpan.FromSeconds(10));
    }

    /// <summary>The settings.</summary>
    public SessionServiceOptions Options { get; }

    /// <summary>The endpoint listened on once started (never port 0), else null.</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    /// <summary>Accepted connections still open (handshaking or established); for monitoring and tests.</summary>
    public int AcceptedConnectionCount
    {
        get
        {
            lock (_gate)
            {
                return _incoming.Count;
            }
        }
    }

    /// <summary>Sessions established since the service started (called and accepted); for monitoring.</summary>
    public long SessionsOpened
    {
        get
        {
            lock (_gate)
            {
                return _nextId;
            }
        }
    }

    /// <summary>Sessions established now (the count of <see cref="GetSessions"/>, without the copy); for monitoring.</summary>
    public int SessionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Binds the listener at <see cref="SessionServiceOptions.ListenEndPoint"/> and starts accepting.</summary>
    /// <param name="cancellationToken">Cancels the bind.</param>
    /// <exception cref="TransportBindException">The endpoint could not be bound.</exception>
    /// <exception cref="InvalidOperationException">Already started or disposed.</exception>
    public async ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("The session service is already listening.");
        }

        _listener = await _network.ListenAsync(Options.ListenEndPoint, cancellationToken).ConfigureAwait(false);
        SessionLog.Listening(_context.Logger, _listener.LocalEndPoint);
        var listener = _listener;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener), CancellationToken.None);
    }

    /// <summary>The established sessions.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<NbssSession> GetSessions()
    {
        lock (_gate)
        {
            return [.. _sessions.Values.OrderBy(s => s.Id)];
        }
    }

    /// <summary>
    /// Attaches the fallback for messages that no receive of their session waits for (NCB RECEIVE ANY, see
    /// <see cref="ISessionReceiveFallback"/>). One per service: the first attached stays, and later calls get it back,
    /// so that every NCB interface over the station shares it.
    /// </summary>
    /// <param name="fallback">The fallback to attach when none is.</param>
    /// <returns>The fallback in use.</returns>
    internal ISessionReceiveFallback AttachReceiveFallback(ISessionReceiveFallback fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        var attached = _context.Attach(fallback);
        bool stopped;
        lock (_gate)
        {
            stopped = _disposed;
        }

        if (stopped)
        {
            attached.OnServiceStopped();
        }

        return attached;
    }

    /// <summary>Wakes the sessions of <paramref name="localName"/> (of every name when null) whose read loop waits for a receive: a fallback receive they may serve was posted.</summary>
    /// <param name="localName">The local name, or null for all.</param>
    internal void WakeSessions(NetBiosName? localName)
    {
        NbssSession[] wake;
        lock (_gate)
        {
            wake = [.. _sessions.Values.Where(s => localName is not { } n || s.LocalName == n)];
        }

        foreach (var session in wake)
        {
            session.WakeReader();
        }
    }

    /// <summary>Stops listening, cancels pending listens (and fallback receives, see <see cref="ISessionReceiveFallback.OnServiceStopped"/>), aborts handshakes and hangs up every session.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        ListenOperation[] listens;
        QueuedRequest[] queued;
        IncomingConnection[] incoming;
        NbssSession[] sessions;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            listens = [.. _listens];
            _listens.Clear();
            queued = [.. _queued];
            _queued.Clear();
            incoming = [.. _incoming];
            sessions = [.. _sessions.Values];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _timers.DisposeAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        await _acceptLoop.ConfigureAwait(false);
        foreach (var listen in listens)
        {
            listen.Registration.Dispose();
            listen.Completion.TrySetResult(new SessionListenResult(SessionListenOutcome.ServiceStopped, null));
        }

        foreach (var request in queued)
        {
            request.Completion.TrySetResult(null);
        }

        _context.Fallback?.OnServiceStopped();

        foreach (var entry in incoming)
        {
            if (entry.Session is null)
            {
                entry.Connection.Abort();
            }
        }

        await Task.WhenAll(sessions.Select(s => s.HangUpAsync().AsTask())).ConfigureAwait(false);
        await Task.WhenAll(incoming.Select(e => e.Handshake)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void OnSessionEnded(NbssSession session)
    {
        lock (_gate)
        {
            if (_sessions.Remove(session.Id))
            {
                _reservedSessions--;
            }
        }
    }

    /// <summary>Reserves a session-table slot; false when the table is full.</summary>
    private bool TryReserveSession()
    {
        lock (_gate)
        {
            if (_disposed || _reservedSessions >= Options.MaxSessions)
            {
                return false;
            }

            _reservedSessions++;
            return true;
        }
    }

    private void ReleaseReservation()
    {
        lock (_gate)
        {
            _reservedSessions--;
        }
    }

    /// <summary>Creates, registers and starts a session on a slot already reserved.</summary>
    private NbssSession AddSession(IStreamConnection connection, NetBiosName local, NetBiosName remote, bool isCaller)
    {
        NbssSession session;
        lock (_gate)
        {
            session = new NbssSession(_context, connection, ++_nextId, local, remote, isCaller);
            _sessions.Add(session.Id, session);
        }

        session.Start();
        return session;
    }

    /// <summary>What the timers check: the handshakes and the sessions' connections.</summary>
    private (IReadOnlyList<IncomingConnection> Handshakes, IReadOnlyList<NbssConnection> Sessions) Watched()
    {
        lock (_gate)
        {
            return ([.. _incoming], [.. _sessions.Values.Select(s => s.Connection)]);
        }
    }
}
