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
/// <para>
/// A RECEIVE ANY posted by an NCB interface (its <see cref="NcbLana"/> as owner) is served only by the sessions in that
/// interface's session table, for one name or for any name (0xFF): several interfaces over one station — the clients of
/// nbtd, or several in one process — never read each other's session messages (Windows scopes <c>Netbios()</c> per
/// process likewise). A receive without owner may be served by every session of its name.
/// </para>
/// <para>Thread safety: all members may be called concurrently.</para>
/// </remarks>
internal sealed class NcbReceiveAnyPool : ISessionReceiveFallback
{
    private readonly SessionServiceNode _sessions;
    private readonly Lock _gate = new();
    private readonly List<Waiting> _waiting = [];
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
    /// <param name="owner">The NCB LANA whose sessions alone may serve it, or null for every session.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the receive while no byte has been delivered into it.</param>
    /// <returns>The status, the byte count and the session; await it once.</returns>
    public ValueTask<SessionReceiveResult> ReceiveAsync(NetBiosName? localName, NcbLana? owner, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var op = new ReceiveOperation(buffer, null, localName);
        lock (_gate)
        {
            if (_stopped)
            {
                return ValueTask.FromResult(new SessionReceiveResult(SessionIoStatus.Closed, 0, null));
            }

            _waiting.Add(new Waiting(op, owner));
        }

        op.CompleteWhenCancelled(Remove, timeout: null, cancellationToken);
        _sessions.WakeSessions(localName);
        return op.Result;
    }

    /// <summary>RECEIVE ANYs waiting (for NCB SESSION STATUS).</summary>
    /// <param name="localName">Count those for this name only (those for any name included), or all when null.</param>
    /// <param name="owner">Count those of this NCB LANA only, or all when null.</param>
    /// <returns>The count.</returns>
    public int CountPending(NetBiosName? localName, NcbLana? owner = null)
    {
        lock (_gate)
        {
            return _waiting.Count(w => (localName is not { } n || w.Op.AnyLocalName is not { } m || m == n)
                && (owner is null || w.Owner == owner));
        }
    }

    /// <inheritdoc/>
    public ReceiveOperation? TakeReceive(NbssSession session)
    {
        Waiting[] candidates;
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                return null;
            }

            candidates = [.. _waiting.Where(w => w.Op.AnyLocalName is not { } name || name == session.LocalName)];
        }

        // The owner's session table is asked outside the pool's lock (it takes the LANA's): the oldest receive this
        // session may serve, unless it was taken or cancelled in between.
        foreach (var candidate in candidates)
        {
            if (candidate.Owner is { } owner && !owner.HasSession(session))
            {
                continue;
            }

            lock (_gate)
            {
                if (!_waiting.Remove(candidate))
                {
                    continue;
                }
            }

            if (!candidate.Op.IsCompleted)
            {
                return candidate.Op;
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
            waiting = [.. _waiting.Select(w => w.Op)];
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
            return _waiting.RemoveAll(w => w.Op == op) > 0;
        }
    }

    /// <summary>A waiting RECEIVE ANY and the LANA whose sessions may serve it (null: any session).</summary>
    private sealed record Waiting(ReceiveOperation Op, NcbLana? Owner);
}
