using NetBios.SessionService;

namespace NetBios.NcbInterface;

/// <summary>
/// NCB RECEIVE ANY ([RFC 1002] 5.3.3) of one LANA: receives for the next message on any session of a local name, or of
/// any name, served only when no receive of the session itself waits. Plugged into the station's session service as
/// its <see cref="ISessionReceiveFallback"/>.
/// </summary>
/// <remarks>
/// <para>
/// One pool per session service: <see cref="AttachTo"/> returns the pool already attached, so that two NCB interfaces
/// over one station (unusual: one per station is the norm) share it, as they did when the pool lived in the engine.
/// </para>
/// <para>
/// When a session of the name ends with no receive of its own pending, the oldest RECEIVE ANY it may serve completes
/// with <see cref="SessionIoStatus.Closed"/> or <see cref="SessionIoStatus.Aborted"/> and that session. When the
/// session service stops, every waiting one completes with <see cref="SessionIoStatus.Closed"/> and no session.
/// </para>
/// <para>Thread safety: all members may be called concurrently.</para>
/// </remarks>
internal sealed class NcbReceiveAnyPool : ISessionReceiveFallback
{
    private readonly SessionServiceNode _sessions;
    private readonly Lock _gate = new();
    private readonly List<ReceiveOperation> _waiting = [];
    private bool _stopped;

    private NcbReceiveAnyPool(SessionServiceNode sessions) => _sessions = sessions;

    /// <summary>The pool of a session service: attached now, or the one attached before.</summary>
    /// <param name="sessions">The station's session service.</param>
    /// <returns>The pool.</returns>
    /// <exception cref="InvalidOperationException">Something other than a RECEIVE ANY pool is attached.</exception>
    public static NcbReceiveAnyPool AttachTo(SessionServiceNode sessions) =>
        sessions.AttachReceiveFallback(new NcbReceiveAnyPool(sessions)) as NcbReceiveAnyPool
        ?? throw new InvalidOperationException("The session service already has another receive fallback.");

    /// <summary>
    /// RECEIVE ANY: the next message (or piece of one) on any session of <paramref name="localName"/>, or of any local
    /// name when null. A session's own pending receives go first.
    /// </summary>
    /// <param name="localName">The local name, or null for any.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the receive while no byte has been delivered into it.</param>
    /// <returns>The status, the byte count and the session; await it once.</returns>
    public ValueTask<SessionReceiveResult> ReceiveAsync(NetBiosName? localName, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var op = new ReceiveOperation(buffer, null, localName);
        lock (_gate)
        {
            if (_stopped)
            {
                return ValueTask.FromResult(new SessionReceiveResult(SessionIoStatus.Closed, 0, null));
            }

            _waiting.Add(op);
        }

        op.CompleteWhenCancelled(Remove, timeout: null, cancellationToken);
        _sessions.WakeSessions(localName);
        return op.Result;
    }

    /// <summary>RECEIVE ANYs waiting (for NCB SESSION STATUS).</summary>
    /// <param name="localName">Count those for this name only (those for any name included), or all when null.</param>
    /// <returns>The count.</returns>
    public int CountPending(NetBiosName? localName)
    {
        lock (_gate)
        {
            return _waiting.Count(o => localName is not { } n || o.AnyLocalName is not { } m || m == n);
        }
    }

    /// <inheritdoc/>
    public ReceiveOperation? TakeReceive(NbssSession session)
    {
        lock (_gate)
        {
            for (int i = 0; i < _waiting.Count; i++)
            {
                var op = _waiting[i];
                if (op.AnyLocalName is not { } name || name == session.LocalName)
                {
                    _waiting.RemoveAt(i);
                    if (!op.IsCompleted)
                    {
                        return op;
                    }

                    i--;
                }
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public void OnSessionEnded(NbssSession session, SessionIoStatus status) => TakeReceive(session)?.TryComplete(status, session);

    /// <inheritdoc/>
    public void OnServiceStopped()
    {
        ReceiveOperation[] waiting;
        lock (_gate)
        {
            _stopped = true;
            waiting = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var op in waiting)
        {
            op.TryComplete(SessionIoStatus.Closed, null);
        }
    }

    private bool Remove(ReceiveOperation op)
    {
        lock (_gate)
        {
            return _waiting.Remove(op);
        }
    }
}
