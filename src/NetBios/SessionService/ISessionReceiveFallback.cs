namespace NetBios.SessionService;

/// <summary>
/// The seam for receives that are not a session's own (NCB RECEIVE ANY, [RFC 1002] 5.3.3): where a session's message
/// goes when no receive of the session waits for it. The session service knows no more of it than this; the pool of
/// such receives lives with whoever attaches it (<see cref="SessionServiceNode.AttachReceiveFallback"/>).
/// </summary>
/// <remarks>
/// Sessions call in from their read loops and on teardown, concurrently: implementations are thread-safe and do not call
/// back into the session. When a new receive is posted, the implementation wakes the sessions that may serve it with
/// <see cref="SessionServiceNode.WakeSessions"/>, so that a message already waiting is delivered.
/// </remarks>
internal interface ISessionReceiveFallback
{
    /// <summary>
    /// <paramref name="session"/> has message bytes and no receive of its own waits: a receive to fill, taken out of the
    /// pool, or null when none may serve this session.
    /// </summary>
    /// <param name="session">The session with the message.</param>
    /// <returns>The receive, no longer removable by cancellation; the session completes it with its status and bytes.</returns>
    ReceiveOperation? TakeReceive(NbssSession session);

    /// <summary><paramref name="session"/> ended with no receive of its own pending: one waiting receive that it may serve learns of it.</summary>
    /// <param name="session">The session that ended.</param>
    /// <param name="status"><see cref="SessionIoStatus.Closed"/> or <see cref="SessionIoStatus.Aborted"/>.</param>
    void OnSessionEnded(NbssSession session, SessionIoStatus status);

    /// <summary>The session service has stopped: every waiting receive completes with <see cref="SessionIoStatus.Closed"/> and later ones at once.</summary>
    void OnServiceStopped();
}
