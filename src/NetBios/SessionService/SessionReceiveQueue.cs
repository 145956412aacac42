namespace NetBios.SessionService;

/// <summary>
/// The pending receives of one session ([RFC 1002] 5.3.3), served in order, with the fallback
/// (<see cref="ISessionReceiveFallback"/>, NCB RECEIVE ANY) when none of the session's own waits, and the wake-up of a
/// read loop that waits for a receiver.
/// </summary>
/// <remarks>
/// Thread safety: all members may be called concurrently. The session adds receives only while it is established
/// (checked under its own lock, around <see cref="Enqueue"/>), so that none is added after <see cref="End"/>.
/// </remarks>
internal sealed class SessionReceiveQueue(NbssSession session, SessionContext context)
{
    private readonly Lock _gate = new();
    private readonly Queue<ReceiveOperation> _receives = new();
    private TaskCompletionSource? _receiverArrived;
    private ReceiveOperation? _owned; // the receive being filled, until delivered

    /// <summary>The session's own receives, waiting or being filled.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _receives.Count + (_owned?.Session == session ? 1 : 0);
            }
        }
    }

    /// <summary>Queues a receive of the session; then <see cref="Watch"/> it.</summary>
    public void Enqueue(ReceiveOperation op)
    {
        lock (_gate)
        {
            _receives.Enqueue(op);
        }
    }

    /// <summary>Completes a queued receive on cancellation or timeout, and wakes the read loop for it.</summary>
    /// <param name="op">The receive, queued.</param>
    /// <param name="timeout">How long it may wait for a message; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels it while no byte has been delivered into it.</param>
    public void Watch(ReceiveOperation op, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var timeoutCts = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, context.Time);
        op.CompleteWhenCancelled(RemoveQueued, timeoutCts, cancellationToken);
        WakeReader();
    }

    /// <summary>
    /// For the read loop: the receive to fill next (the session's own first, then the fallback's), or null and a task
    /// that completes when one may have arrived (set before the fallback is asked, so that a receive posted meanwhile
    /// wakes it).
    /// </summary>
    public ReceiveOperation? TryTake(out Task receiverArrived)
    {
        lock (_gate)
        {
            while (_receives.TryDequeue(out var own))
            {
                if (own.IsCompleted)
                {
                    continue; // cancelled while queued
                }

                _owned = own;
                receiverArrived = Task.CompletedTask;
                return own;
            }

            _receiverArrived = new TaskCompletionSource();
            receiverArrived = _receiverArrived.Task;
        }

        if (context.Fallback?.TakeReceive(session) is { } any)
        {
            lock (_gate)
            {
                _owned = any;
            }

            return any;
        }

        return null;
    }

    /// <summary>The read loop is done with the receive it fills (it hands it over itself).</summary>
    public void Disown()
    {
        lock (_gate)
        {
            _owned = null;
        }
    }

    /// <summary>Completes a receive with the bytes it holds, as coming from this session.</summary>
    /// <param name="op">The receive.</param>
    /// <param name="status">The outcome.</param>
    /// <param name="inline">Run the receiver's continuation on this thread (see <see cref="ReceiveOperation"/>).</param>
    public void Complete(ReceiveOperation op, SessionIoStatus status, bool inline = false) => op.TryComplete(status, session, inline);

    /// <summary>
    /// Wakes the read loop if it waits for a receive. Outside the lock and without a thread-pool hop: a message that
    /// is already here is copied into the new receive on this thread, so the receive usually completes at once.
    /// </summary>
    public void WakeReader()
    {
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            waiting = _receiverArrived;
            _receiverArrived = null;
        }

        waiting?.TrySetResult();
    }

    /// <summary>
    /// The session has ended: every pending receive, and the one being filled, completes with <paramref name="status"/>;
    /// when there was none, the fallback learns of the end.
    /// </summary>
    public void End(SessionIoStatus status)
    {
        ReceiveOperation[] pending;
        ReceiveOperation? owned;
        lock (_gate)
        {
            pending = [.. _receives];
            _receives.Clear();
            owned = _owned;
            _owned = null;
        }

        bool told = owned?.TryComplete(status, session) == true;
        foreach (var op in pending)
        {
            told |= op.TryComplete(status, session);
        }

        if (!told)
        {
            context.Fallback?.OnSessionEnded(session, status);
        }
    }

    private bool RemoveQueued(ReceiveOperation op)
    {
        lock (_gate)
        {
            if (!_receives.Contains(op))
            {
                return false;
            }

            var kept = _receives.Where(o => o != op).ToArray();
            _receives.Clear();
            foreach (var o in kept)
            {
                _receives.Enqueue(o);
            }

            return true;
        }
    }
}
