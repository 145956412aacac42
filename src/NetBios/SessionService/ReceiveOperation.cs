using System.Threading.Tasks.Sources;

namespace NetBios.SessionService;

/// <summary>
/// A pending receive ([RFC 1002] 5.3.3): a buffer waiting for message bytes from one session or, for RECEIVE ANY, from
/// any. It is its own <see cref="IValueTaskSource{TResult}"/> (one allocation per receive), completed once.
/// </summary>
/// <remarks>
/// Continuations run on the thread pool, except when the session completes the receive with
/// <see cref="TryComplete(SessionIoStatus, NbssSession?, bool)"/> inline, which it only does once its read loop waits
/// elsewhere: the receiver then goes on without a thread hop, and whatever it does cannot hold up the read loop.
/// </remarks>
internal sealed class ReceiveOperation : IValueTaskSource<SessionReceiveResult>
{
    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<SessionReceiveResult> _core = new() { RunContinuationsAsynchronously = true };
    private int _completed;
    private CancellationTokenRegistration _cancelled;
    private CancellationTokenRegistration _timedOut;
    private CancellationTokenSource? _timeout;

    public ReceiveOperation(Memory<byte> buffer, NbssSession? session, NetBiosName? anyLocalName)
    {
        Buffer = buffer;
        Session = session;
        AnyLocalName = anyLocalName;
    }

    public Memory<byte> Buffer { get; }

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
        lock (_gate)
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
        lock (_gate)
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

    SessionReceiveResult IValueTaskSource<SessionReceiveResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<SessionReceiveResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<SessionReceiveResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
