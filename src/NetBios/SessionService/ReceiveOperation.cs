using System.Threading.Tasks.Sources;

namespace NetBios.SessionService;

/// <summary>
/// A pending receive ([RFC 1002] 5.3.3): a buffer waiting for message bytes from one session or, for RECEIVE ANY, from
/// any. It is its own <see cref="IValueTaskSource{TResult}"/>, completed once per use.
/// </summary>
/// <remarks>
/// Continuations run on the thread pool, except when the session completes the receive with
/// <see cref="TryComplete(SessionIoStatus, NbssSession?, bool)"/> inline, which it only does once its read loop waits
/// elsewhere: the receiver then goes on without a thread hop, and whatever it does cannot hold up the read loop
/// beyond the next message (whose readiness wait may start only when the receiver returns or posts its next receive:
/// NbssConnection.HoldReadinessForHandOver).
/// <para>
/// Reuse (issue 18: no allocation per message): a receive rented from its session's <see cref="SessionReceiveQueue"/>
/// goes back there when its result has been read, unless it was ever given a cancellation token or timeout (a
/// callback of those may still be in flight and must never meet a later receive). Until then nothing but its receiver
/// refers to it: the queue and the read loop let go of a receive before they complete it.
/// </para>
/// </remarks>
internal sealed class ReceiveOperation : IValueTaskSource<SessionReceiveResult>
{
    private readonly SessionReceiveQueue? _home;
    private ManualResetValueTaskSourceCore<SessionReceiveResult> _core = new() { RunContinuationsAsynchronously = true };
    private int _completed;
    private bool _watched; // given a token or timeout: never reused
    private CancellationTokenRegistration _cancelled;
    private CancellationTokenRegistration _timedOut;
    private CancellationTokenSource? _timeout;

    public ReceiveOperation(Memory<byte> buffer, NbssSession? session, NetBiosName? anyLocalName)
    {
        Buffer = buffer;
        Session = session;
        AnyLocalName = anyLocalName;
    }

    /// <summary>A reusable receive of <paramref name="home"/>'s session (see the remarks); <see cref="Reset"/> before each use.</summary>
    public ReceiveOperation(SessionReceiveQueue home, NbssSession session)
        : this(Memory<byte>.Empty, session, null) => _home = home;

    public Memory<byte> Buffer { get; private set; }

    /// <summary>The session for a specific receive; null for RECEIVE ANY.</summary>
    public NbssSession? Session { get; }

    /// <summary>For RECEIVE ANY: the local name whose sessions qualify; null for any name.</summary>
    public NetBiosName? AnyLocalName { get; }

    public int Filled { get; set; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>The receive's result, to be awaited once.</summary>
    public ValueTask<SessionReceiveResult> Result => new(this, _core.Version);

    /// <summary>
    /// Completes the receive with <see cref="SessionIoStatus.Cancelled"/> when <paramref name="cancellationToken"/> fires,
    /// or <see cref="SessionIoStatus.TimedOut"/> when <paramref name="timeout"/> does, provided <paramref name="remove"/>
    /// still finds it waiting (a receive being filled is no longer removable). The registrations live until the receive
    /// completes; <paramref name="timeout"/> is owned from here on.
    /// </summary>
    /// <param name="remove">Takes the receive out of wherever it waits; false when it is no longer there.</param>
    /// <param name="timeout">The receive's timeout on the session clock, or null for none.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public void CompleteWhenCancelled(Func<ReceiveOperation, bool> remove, CancellationTokenSource? timeout, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled && timeout is null)
        {
            return;
        }

        Register(remove, timeout, cancellationToken);
    }

    /// <summary>Prepares a reusable receive for its next use (only its receiver holds it, see the remarks).</summary>
    public void Reset(Memory<byte> buffer)
    {
        _core.Reset();
        Buffer = buffer;
        Filled = 0;
        Volatile.Write(ref _completed, 0);
    }

    // Apart from CompleteWhenCancelled so that a receive without token or timeout allocates no closure.
    private void Register(Func<ReceiveOperation, bool> remove, CancellationTokenSource? timeout, CancellationToken cancellationToken)
    {
        _watched = true;
        var cancelled = cancellationToken.Register(() =>
        {
            if (remove(this))
            {
                TryComplete(SessionIoStatus.Cancelled, Session);
            }
        });
        var timedOut = timeout?.Token.Register(() =>
        {
            if (remove(this))
            {
                TryComplete(SessionIoStatus.TimedOut, Session);
            }
        }) ?? default;
        lock (this)
        {
            if (!IsCompleted)
            {
                (_cancelled, _timedOut, _timeout) = (cancelled, timedOut, timeout);
                return;
            }
        }

        cancelled.Dispose();
        timedOut.Dispose();
        timeout?.Dispose();
    }

    /// <summary>Completes the receive with <see cref="Filled"/> bytes; false when it was already completed.</summary>
    /// <param name="status">The outcome.</param>
    /// <param name="session">The session the bytes came from (for RECEIVE ANY).</param>
    /// <param name="inline">Run the receiver's continuation on this thread (see the remarks).</param>
    public bool TryComplete(SessionIoStatus status, NbssSession? session, bool inline = false)
    {
        CancellationTokenRegistration cancelled, timedOut;
        CancellationTokenSource? timeout;
        lock (this)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0)
            {
                return false;
            }

            (cancelled, timedOut, timeout) = (_cancelled, _timedOut, _timeout);
        }

        // Not waiting for callbacks in flight: a callback may be what completes this receive.
        cancelled.Unregister();
        timedOut.Unregister();
        timeout?.Dispose();
        _core.RunContinuationsAsynchronously = !inline;
        _core.SetResult(new SessionReceiveResult(status, Filled, session));
        return true;
    }

    SessionReceiveResult IValueTaskSource<SessionReceiveResult>.GetResult(short token)
    {
        var result = _core.GetResult(token);
        if (_home is { } home && !_watched)
        {
            Buffer = Memory<byte>.Empty; // holds no caller memory while it waits for reuse
            home.Return(this);
        }

        return result;
    }

    ValueTaskSourceStatus IValueTaskSource<SessionReceiveResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<SessionReceiveResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
