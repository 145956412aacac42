namespace NetBios.SessionService;

/// <summary>
/// The session service's one periodic timer on its <see cref="TimeProvider"/> (docs/RELIABILITY.md §1.6): every
/// <see cref="SessionServiceOptions.TimerResolution"/> it reaps handshakes and sessions past their deadline and sends
/// SESSION KEEP ALIVE ([RFC 1002] 4.3.7) on sessions idle for <see cref="SessionServiceOptions.KeepAliveInterval"/>.
/// </summary>
internal sealed class SessionTimers : IAsyncDisposable
{
    private readonly SessionContext _context;
    private readonly Func<(IReadOnlyList<IncomingConnection> Handshakes, IReadOnlyList<NbssConnection> Sessions)> _watched;
    private readonly ITimer _timer;

    /// <summary>Starts the timer.</summary>
    /// <param name="context">Settings, clock and logger.</param>
    /// <param name="watched">A snapshot of the handshakes and session connections to check, taken at each tick.</param>
    public SessionTimers(SessionContext context, Func<(IReadOnlyList<IncomingConnection> Handshakes, IReadOnlyList<NbssConnection> Sessions)> watched)
    {
        _context = context;
        _watched = watched;
        var resolution = context.Options.TimerResolution;
        _timer = context.Time.CreateTimer(_ => Tick(), null, resolution, resolution);
    }

    /// <summary>Stops the timer.</summary>
    /// <returns>A task that completes when the timer is disposed.</returns>
    public ValueTask DisposeAsync() => _timer.DisposeAsync();

    /// <summary>One tick: reaps and sends keepalives as of now.</summary>
    private void Tick()
    {
        long now = _context.Time.GetTimestamp();
        var (handshakes, sessions) = _watched();
        foreach (var entry in handshakes)
        {
            if (entry.Session is null && now >= Volatile.Read(ref entry.Deadline))
            {
                SessionLog.Reaped(_context.Logger, entry.Connection.RemoteEndPoint);
                entry.Connection.Abort();
            }
        }

        var keepAlive = _context.Options.KeepAliveInterval;
        foreach (var connection in sessions)
        {
            if (now >= connection.Deadline)
            {
                SessionLog.Reaped(_context.Logger, connection.RemoteEndPoint);
                connection.Abort();
            }
            else if (keepAlive != Timeout.InfiniteTimeSpan && _context.Time.GetElapsedTime(connection.LastSend, now) >= keepAlive)
            {
                connection.SendKeepAlive();
            }
        }
    }
}
