using Microsoft.Extensions.Logging;

namespace NetBios.SessionService;

/// <summary>
/// What a session needs from its service, and no more: the settings, the clock, the logger, whom to tell when it has
/// ended, and where a message goes that no receive of the session waits for. One per service, shared by its sessions.
/// </summary>
/// <param name="options">The service's settings (validated).</param>
/// <param name="time">The clock for every deadline and timeout.</param>
/// <param name="logger">Where to log.</param>
/// <param name="ended">Called once when a session has ended and released its connection.</param>
internal sealed class SessionContext(SessionServiceOptions options, TimeProvider time, ILogger logger, Action<NbssSession> ended)
{
    private ISessionReceiveFallback? _fallback;

    public SessionServiceOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    /// <summary>Where messages go that no receive of their session waits for (NCB RECEIVE ANY); null while none is attached.</summary>
    public ISessionReceiveFallback? Fallback => Volatile.Read(ref _fallback);

    /// <summary>Attaches <paramref name="fallback"/> unless one is attached already.</summary>
    /// <returns>The fallback in use: <paramref name="fallback"/>, or the one attached before.</returns>
    public ISessionReceiveFallback Attach(ISessionReceiveFallback fallback) => Interlocked.CompareExchange(ref _fallback, fallback, null) ?? fallback;

    public void OnEnded(NbssSession session) => ended(session);

    /// <summary>The timestamp <paramref name="timeout"/> from now on <see cref="Time"/>; <see cref="long.MaxValue"/> for an infinite one.</summary>
    public long DeadlineAfter(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Time.GetTimestamp() + (long)(timeout.TotalSeconds * Time.TimestampFrequency);
}
