using System.Net;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

/// <summary>Settings of a <see cref="SessionServiceNode"/> ([RFC 1001] 16, [RFC 1002] 4.3 and 5.3).</summary>
public sealed class SessionServiceOptions
{
    /// <summary>Where the listener binds. Defaults to 0.0.0.0:139; port 0 picks a free port.</summary>
    public IPEndPoint ListenEndPoint { get; set; } = new(IPAddress.Any, 139);

    /// <summary>The port callers connect to when only addresses are known. Defaults to 139.</summary>
    public int RemotePort { get; set; } = 139;

    /// <summary>Largest SESSION MESSAGE accepted from a peer (0..131071); a longer header aborts the session. Defaults to 131071.</summary>
    public int MaxMessageSize { get; set; } = SessionHeader.MaxLength;

    /// <summary>Largest number of established sessions (the session table); a full table answers 0x83. Defaults to 1024.</summary>
    public int MaxSessions { get; set; } = 1024;

    /// <summary>Largest number of accepted connections (handshaking or established). Further connections are closed at once. Defaults to 1024.</summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>Largest number of accepted connections from one source IP address other than this host's own (local
    /// programs calling each other share it and are held only to <see cref="MaxConnections"/>). Defaults to 64.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 64;

    /// <summary>
    /// Largest number of accepted connections from one source IP address that have not yet sent their SESSION REQUEST
    /// (handshaking). A genuine caller sends it at once (even ten simultaneous calls from one host fit); a source
    /// holding many silent connections is refused more. Defaults to 16.
    /// </summary>
    public int MaxPendingPerAddress { get; set; } = 16;

    /// <summary>
    /// How long an accepted connection may take to send its SESSION REQUEST: the same bound as a frame header (a
    /// request is one frame). Defaults to 10 seconds.
    /// </summary>
    public TimeSpan SessionRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When the connection or session table is full, a newcomer still gets in by evicting an accepted session that
    /// carried no SESSION MESSAGE either way for at least this long (or a connection still handshaking after a
    /// second): from the source holding the most connections first, the longest idle first. Sessions this node called
    /// are never evicted. A quiet but real peer is only ever evicted under such pressure, and after every busier
    /// source's idle sessions. A source that had a connection evicted may not evict in turn for 30 seconds (so an
    /// attacker cannot churn its own sessions until none is idle). Infinite disables eviction. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan EvictionIdleTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a SESSION REQUEST to a name that is served (a LISTEN was posted on it before) but has no LISTEN ready
    /// right now waits for one before it is refused (0x80 / 0x81): the backlog that lets simultaneous callers all get in
    /// while the application posts its next LISTEN. Zero answers at once. Defaults to 2 seconds.
    /// </summary>
    public TimeSpan ListenQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest number of session requests waiting for a LISTEN (see <see cref="ListenQueueTimeout"/>). Defaults to 64.</summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>
    /// How long the rest of a frame header may take once its first byte has arrived (mid-header): a header is 4 bytes,
    /// so only a stalled or hostile peer needs long. Defaults to 10 seconds.
    /// </summary>
    public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the body bytes a pending receive is waiting for may take to arrive (mid-body), and how long a peer has to
    /// send the first 4 KiB of a body (or all of a shorter one) when no receive is pending, so that a header alone
    /// (SMBLoris) does not hold a connection. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an established session may stay silent (no byte at all, keepalives included) before it is aborted.
    /// Defaults to <see cref="Timeout.InfiniteTimeSpan"/> (never): many peers send no keepalives.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>SSN_KEEP_ALIVE_TIMEOUT: a SESSION KEEP ALIVE is sent after this long without sending. Defaults to 60 seconds; infinite disables it.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a call may take: connect, request and response, for each address tried. Defaults to 30 seconds.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a hang-up waits for pending sends and the graceful close before it aborts. Defaults to 5 seconds.</summary>
    public TimeSpan HangUpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the messages of a streaming sender may leave several per TCP send. Defaults to true. A send counts as
    /// streaming when no receive of its session was posted or served since the session's previous send (a request and
    /// its answer never are); such a message up to 64 KiB with what is held already is copied and held, its SEND
    /// completing at once, and what is held leaves with the session's next send that is not held, when a receive of the
    /// session is posted, or right after the sender's thread-pool work item returns, whichever comes first (a loop of 4 KiB sends makes one send(2) per 64 KiB
    /// instead of one per message). A graceful hang-up sends what is held first; a connection that fails loses it, as
    /// it would lose what TCP buffered. False: every message is its own send(2).
    /// </summary>
    public bool CoalesceSends { get; set; } = true;

    /// <summary>SSN_RETRY_COUNT: how many RETARGET SESSION RESPONSEs a call follows. Defaults to 4.</summary>
    public int MaxRetargets { get; set; } = 4;

    /// <summary>How often deadlines and keepalives are checked (one timer for the whole service). Defaults to 1 second.</summary>
    public TimeSpan TimerResolution { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A copy listening at <paramref name="endPoint"/> (the caller's options stay as they are).</summary>
    internal SessionServiceOptions WithListenEndPoint(IPEndPoint endPoint)
    {
        var copy = (SessionServiceOptions)MemberwiseClone();
        copy.ListenEndPoint = endPoint;
        return copy;
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenEndPoint);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxMessageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageSize, SessionHeader.MaxLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSessions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnectionsPerAddress);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPendingPerAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxQueuedRequests);
        ArgumentOutOfRangeException.ThrowIfLessThan(ListenQueueTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetargets);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TimerResolution, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RemotePort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RemotePort, 65535);
    }
}
