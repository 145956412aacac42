using System.Threading.Tasks.Sources;

namespace NetBios.SessionService;

/// <summary>
/// The pending receives of one session ([RFC 1002] 5.3.3), served in order, with the fallback
/// (<see cref="ISessionReceiveFallback"/>, NCB RECEIVE ANY) when none of the session's own waits, and the wake-up of a
/// read loop that waits for a receiver.
/// </summary>
/// <remarks>
/// Thread safety: all members may be called concurrently. The session adds receives only while it is established
/// (checked under its own lock, around <see cref="Enqueue"/>), so that none is added after <see cref="End"/>.
/// <para>
/// Nothing is allocated per message (issue 18): receives are rented and come back (<see cref="Rent"/>), and the read
/// loop's wait for a receiver is this queue itself, a reusable <see cref="IValueTaskSource{TResult}"/>, or the interruption of
/// its pending pipe read (<see cref="WakeBy"/>).
/// </para>
/// </remarks>
internal sealed class SessionReceiveQueue : IValueTaskSource<bool>
{
    private readonly NbssSession _session;
    private readonly SessionContext _context;
    private readonly Lock _gate = new();
    private readonly Queue<ReceiveOperation> _receives = new();
    private readonly Func<ReceiveOperation, bool> _removeQueued;
    private ManualResetValueTaskSourceCore<bool> _arrived; // the read loop's wait in WakeBy.Signal
    private bool _signalled; // _arrived completed and not yet consumed by the read loop (which resets it)
    private WakeBy _armed; // how to wake the read loop when a receive arrives; None when it does not wait
    private int _activity; // Activity
    private Action? _interruptRead;
    private Action<int>? _pollInput; // given the new receive's length (0: none)
    private ReceiveOperation? _spare; // a receive that came back, for the next ReceiveAsync
    private ReceiveOperation? _owned; // the receive being filled, until delivered

    public SessionReceiveQueue(NbssSession session, SessionContext context)
    {
        _session = session;
        _context = context;
        _removeQueued = RemoveQueued;
    }

    /// <summary>How the read loop, having found no receive, is woken when one is posted.</summary>
    public enum WakeBy
    {
        /// <summary>It does not wait (or has been woken already).</summary>
        None,

        /// <summary>It awaits <see cref="WaitForReceiverAsync"/>.</summary>
        Signal,

        /// <summary>It waits in a pipe read, which the wake-up interrupts (<see cref="SetReadInterrupt"/>).</summary>
        InterruptRead,
    }

    /// <summary>The session's own receives, waiting or being filled.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _receives.Count + (_owned?.Session == _session ? 1 : 0);
            }
        }
    }

    /// <summary>
    /// Whether no receive of the session waits in the queue, read without the lock (a hint: a receive queued
    /// concurrently wakes the read loop itself).
    /// </summary>
    public bool NoneQueued => _receives.Count == 0;

    /// <summary>
    /// Changes whenever a receive of the session is queued or one (the session's or RECEIVE ANY's) is handed a message
    /// or part of one: a sender that sees it unchanged since its last send is streaming (<see cref="NbssConnection"/>
    /// holds such sends back to send several at once). Only compared, never counted.
    /// </summary>
    public int Activity => Volatile.Read(ref _activity);

    /// <summary>Queues a receive of the session; then <see cref="Watch"/> it.</summary>
    public void Enqueue(ReceiveOperation op)
    {
        lock (_gate)
        {
            _receives.Enqueue(op);
        }

        Interlocked.Increment(ref _activity);
    }

    /// <summary>Completes a queued receive on cancellation or timeout, and wakes the read loop for it.</summary>
    /// <param name="op">The receive, queued.</param>
    /// <param name="timeout">How long it may wait for a message; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels it while no byte has been delivered into it.</param>
    public void Watch(ReceiveOperation op, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout != Timeout.InfiniteTimeSpan || cancellationToken.CanBeCanceled)
        {
            var timeoutCts = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, _context.Time);
            op.CompleteWhenCancelled(_removeQueued, timeoutCts, cancellationToken);
        }

        WakeReader(op.Buffer.Length);
    }

    /// <summary>A receive of this session for <paramref name="buffer"/>: the one that came back last, or a new one.</summary>
    public ReceiveOperation Rent(Memory<byte> buffer)
    {
        var op = Interlocked.Exchange(ref _spare, null) ?? new ReceiveOperation(this, _session);
        op.Reset(buffer);
        return op;
    }

    /// <summary>A rented receive whose result was read (by its receiver, the only one holding it) comes back.</summary>
    public void Return(ReceiveOperation op) => Volatile.Write(ref _spare, op);

    /// <summary>What <see cref="WakeReader()"/> calls for <see cref="WakeBy.InterruptRead"/> (set once, by the connection).</summary>
    public void SetReadInterrupt(Action interrupt) => _interruptRead = interrupt;

    /// <summary>
    /// What <see cref="WakeReader()"/> calls when the read loop does not wait for a receiver (set once, by a connection
    /// over a socket): a read of the loop that waits for bytes the kernel already holds takes them on this thread.
    /// </summary>
    public void SetInputPoll(Action<int> poll) => _pollInput = poll;

    /// <summary>
    /// For the read loop: the receive to fill next (the session's own first, then the fallback's), or null, the loop
    /// then being armed to be woken <paramref name="wakeBy"/> when one may have arrived (armed before the fallback is
    /// asked, so that a receive posted meanwhile wakes it).
    /// </summary>
    public ReceiveOperation? TryTake(WakeBy wakeBy)
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
                _armed = WakeBy.None;
                return own;
            }

            // A signal that fired while the loop was not waiting is still to be consumed: the next wait returns at once
            // (a spurious wake-up, the loop looks again) and nothing may fire it a second time.
            _armed = wakeBy == WakeBy.Signal && _signalled ? WakeBy.None : wakeBy;
        }

        if (_context.Fallback?.TakeReceive(_session) is { } any)
        {
            lock (_gate)
            {
                _owned = any;
                _armed = WakeBy.None;
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
    public void Complete(ReceiveOperation op, SessionIoStatus status, bool inline = false)
    {
        _session.Traffic.Received(status, op.Filled); // before the receiver's continuation can run (inline) and read the counters
        Interlocked.Increment(ref _activity);
        op.TryComplete(status, _session, inline);
    }

    /// <summary>
    /// The read loop's wait after <see cref="TryTake"/> with <see cref="WakeBy.Signal"/> found none; completes at once
    /// when a receive arrived in between. Await once per such <see cref="TryTake"/> (the result means nothing).
    /// </summary>
    public ValueTask<bool> WaitForReceiverAsync()
    {
        lock (_gate)
        {
            return new ValueTask<bool>(this, _arrived.Version);
        }
    }

    private bool ConsumeSignal(short token)
    {
        bool result = _arrived.GetResult(token);
        lock (_gate)
        {
            _arrived.Reset();
            _signalled = false;
        }

        return result;
    }

    /// <summary>
    /// Wakes the read loop if it waits for a receive, or else lets it take what the connection already holds
    /// (<see cref="SetInputPoll"/>). Outside the lock and without a thread-pool hop: a message that is already here,
    /// in the pipe or in the kernel, is copied into the new receive on this thread, so the receive usually completes
    /// at once (issue 18: the one-flow ping-pong).
    /// </summary>
    public void WakeReader() => WakeReader(0);

    /// <inheritdoc cref="WakeReader()"/>
    /// <param name="receiveLength">The length of the receive just posted (0: none), for the connection's poll.</param>
    private void WakeReader(int receiveLength)
    {
        WakeBy armed;
        lock (_gate)
        {
            armed = _armed;
            _armed = WakeBy.None;
            if (armed == WakeBy.Signal)
            {
                _signalled = true; // only the read loop, once it has consumed the signal, resets it
            }
        }

        // Outside the lock: the read loop's continuation runs here, synchronously, and may take other locks.
        if (armed == WakeBy.Signal)
        {
            _arrived.SetResult(true);
        }
        else if (armed == WakeBy.InterruptRead)
        {
            _interruptRead?.Invoke();
        }
        else
        {
            _pollInput?.Invoke(receiveLength);
        }
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

        bool told = owned?.TryComplete(status, _session) == true;
        foreach (var op in pending)
        {
            told |= op.TryComplete(status, _session);
        }

        if (!told)
        {
            _context.Fallback?.OnSessionEnded(_session, status);
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

    bool IValueTaskSource<bool>.GetResult(short token) => ConsumeSignal(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _arrived.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _arrived.OnCompleted(continuation, state, token, flags);
}
