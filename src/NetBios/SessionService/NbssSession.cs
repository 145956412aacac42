using System.Net;
using System.Runtime.CompilerServices;
using NetBios.Transport;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

/// <summary>
/// One established NetBIOS session ([RFC 1001] 16.1, [RFC 1002] 5.3.3 session data transfer): whole messages of up to
/// 131071 bytes over a stream connection's <see cref="System.IO.Pipelines.IDuplexPipe"/>.
/// </summary>
/// <remarks>
/// <para>
/// The public face of three parts: its <see cref="NbssConnection"/> (framing, the read loop, deadlines, keepalives),
/// its <see cref="SessionReceiveQueue"/> (pending receives, then the service's fallback such as NCB RECEIVE ANY) and
/// the state below. The read loop copies message bodies straight from the connection into pending receives, never
/// buffering a whole message; a message is only read once a receive is waiting, so a slow reader holds the peer back
/// through flow control.
/// </para>
/// <para>
/// Thread safety: all members may be called concurrently. Sends are serialised; hang-up and abort are idempotent.
/// </para>
/// </remarks>
public sealed class NbssSession : Station.INetBiosSession
{
    private readonly SessionContext _context;
    private readonly NbssConnection _connection;
    private readonly SessionReceiveQueue _receives;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SessionState _state = SessionState.Established;

    internal NbssSession(SessionContext context, IStreamConnection connection, int id, NetBiosName localName, NetBiosName remoteName, bool isCaller)
    {
        _context = context;
        _receives = new SessionReceiveQueue(this, context);
        _connection = new NbssConnection(connection, _receives, context, id);
        Id = id;
        LocalName = localName;
        RemoteName = remoteName;
        IsCaller = isCaller;
        RemoteEndPoint = connection.RemoteEndPoint;
        LocalEndPoint = connection.LocalEndPoint;
    }

    /// <summary>The session's number within its service (1, 2, …; never reused while the service lives).</summary>
    public int Id { get; }

    /// <summary>This side's name (the calling name for a caller, the called name for a listener).</summary>
    public NetBiosName LocalName { get; }

    /// <summary>The peer's name.</summary>
    public NetBiosName RemoteName { get; }

    /// <summary>True when this side called; false when it listened.</summary>
    public bool IsCaller { get; }

    /// <summary>The peer's address and port.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>This side's address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The current state.</summary>
    public SessionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Completes when the session has ended (closed or aborted) and its connection is released.</summary>
    public Task Completion => _ended.Task;

    /// <summary>The connection under the session (for the service's timers, and tests).</summary>
    internal NbssConnection Connection => _connection;

    /// <summary>Messages and bytes each way (<c>nbt sessions</c>).</summary>
    internal SessionTrafficCounters Traffic { get; } = new();

    /// <summary>A snapshot for NCB SESSION STATUS.</summary>
    /// <returns>Names, state and pending operation counts.</returns>
    public SessionStatusInfo GetStatus()
    {
        lock (_gate)
        {
            return new SessionStatusInfo(Id, LocalName, RemoteName, _state, _receives.PendingCount, _connection.PendingSends, RemoteEndPoint, IsCaller);
        }
    }

    /// <summary>Sends one message ([RFC 1002] 4.3.6 SESSION MESSAGE).</summary>
    /// <param name="message">0..131071 bytes.</param>
    /// <param name="cancellationToken">Cancels the send; a send cancelled once it has started aborts the session.</param>
    /// <returns><see cref="SessionIoStatus.Ok"/>, or why it failed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The message is longer than 131071 bytes.</exception>
    public ValueTask<SessionIoStatus> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        SendAsync(message, ReadOnlyMemory<byte>.Empty, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Sends two buffers as one message (NCB CHAIN SEND).</summary>
    /// <param name="first">The first part.</param>
    /// <param name="second">The second part; the total is at most 131071 bytes.</param>
    /// <param name="cancellationToken">Cancels the send; a send cancelled once it has started aborts the session.</param>
    /// <returns><see cref="SessionIoStatus.Ok"/>, or why it failed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The total is longer than 131071 bytes.</exception>
    public ValueTask<SessionIoStatus> SendAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken = default) =>
        SendAsync(first, second, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Sends two buffers as one message with a timeout (NCB send timeout); a timed-out send aborts the session.</summary>
    /// <param name="first">The first part.</param>
    /// <param name="second">The second part (may be empty); the total is at most 131071 bytes.</param>
    /// <param name="timeout">How long the send may take; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns><see cref="SessionIoStatus.Ok"/>, or why it failed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The total is longer than 131071 bytes.</exception>
    public ValueTask<SessionIoStatus> SendAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first.Length + second.Length, SessionHeader.MaxLength, nameof(second));
        // Without a timeout the connection's send is the whole operation: no second state machine per message.
        var send = timeout == Timeout.InfiniteTimeSpan
            ? _connection.SendMessageAsync(first, second, cancellationToken)
            : SendWithTimeoutAsync(first, second, timeout, cancellationToken);
        return send.IsCompletedSuccessfully ? new(Traffic.Sent(send.Result, first.Length + second.Length)) : CountSentAsync(send, first.Length + second.Length);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // a send that waits for the socket allocates nothing more
    private async ValueTask<SessionIoStatus> CountSentAsync(ValueTask<SessionIoStatus> send, int length) => Traffic.Sent(await send.ConfigureAwait(false), length);

    private async ValueTask<SessionIoStatus> SendWithTimeoutAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var status = await _connection.SendMessageAsync(first, second, linked.Token).ConfigureAwait(false);
        return status == SessionIoStatus.Cancelled && timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            ? SessionIoStatus.TimedOut
            : status;
    }

    /// <summary>
    /// Receives the next message, or the next piece of a message already started ([RFC 1002] 5.3.3). When the buffer
    /// fills before the message ends the result is <see cref="SessionIoStatus.Incomplete"/> and the next receive (or
    /// RECEIVE ANY) continues the same message.
    /// </summary>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the receive while no byte has been delivered into it.</param>
    /// <returns>The status and the byte count; like any <see cref="ValueTask{TResult}"/>, await it once (or call <c>AsTask()</c>).</returns>
    public ValueTask<SessionReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReceiveAsync(buffer, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Receives with a timeout (NCB receive timeout): <see cref="SessionIoStatus.TimedOut"/> if no message started in time; the session stays up.</summary>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="timeout">How long to wait for a message; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels the receive while no byte has been delivered into it.</param>
    /// <returns>The status and the byte count; like any <see cref="ValueTask{TResult}"/>, await it once (or call <c>AsTask()</c>).</returns>
    public ValueTask<SessionReceiveResult> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ReceiveOperation op;
        lock (_gate)
        {
            if (EndStatus(_state) is { } ended)
            {
                return ValueTask.FromResult(new SessionReceiveResult(ended, 0, this));
            }

            op = _receives.Rent(buffer);
            _receives.Enqueue(op);
        }

        _connection.FlushHeld(); // the peer may need what this session's streaming sends hold to answer; the caller may block on this receive
        _receives.Watch(op, timeout, cancellationToken);
        return op.Result;
    }

    /// <summary>
    /// Hangs up ([RFC 1002] 5.3.4 session termination): waits up to <see cref="SessionServiceOptions.HangUpTimeout"/>
    /// for pending sends, closes gracefully (aborts when that takes too long) and completes pending receives with
    /// <see cref="SessionIoStatus.Closed"/>.
    /// </summary>
    /// <returns>The session's final state.</returns>
    public async ValueTask<SessionState> HangUpAsync()
    {
        lock (_gate)
        {
            if (_state == SessionState.Established)
            {
                _state = SessionState.HangUpPending;
                _connection.RefuseSends(SessionIoStatus.Closed);
            }
        }

        await _connection.CloseAsync().ConfigureAwait(false);
        await _ended.Task.ConfigureAwait(false);
        return State;
    }

    /// <summary>Ends the session at once (a TCP reset); pending operations complete with <see cref="SessionIoStatus.Aborted"/>.</summary>
    public void Abort() => _connection.Abort();

    /// <summary>Hangs up (see <see cref="HangUpAsync"/>).</summary>
    /// <returns>A task that completes when the session has ended.</returns>
    public async ValueTask DisposeAsync() => await HangUpAsync().ConfigureAwait(false);

    /// <summary>Wakes the read loop if it waits for a receive (a fallback receive it may serve was posted).</summary>
    internal void WakeReader() => _receives.WakeReader();

    internal void Start() => _ = Task.Run(RunAsync, CancellationToken.None);

    /// <summary>How sends and receives end in <paramref name="state"/>: null while established.</summary>
    private static SessionIoStatus? EndStatus(SessionState state) => state switch
    {
        SessionState.Aborted => SessionIoStatus.Aborted,
        SessionState.Closed or SessionState.HangUpPending => SessionIoStatus.Closed,
        _ => null,
    };

    private async Task RunAsync()
    {
        var end = await _connection.RunAsync().ConfigureAwait(false);
        if (end == SessionState.Aborted)
        {
            _connection.Abort();
        }

        var status = end == SessionState.Aborted ? SessionIoStatus.Aborted : SessionIoStatus.Closed;
        lock (_gate)
        {
            _state = end;
            _connection.RefuseSends(status);
        }

        _receives.End(status);
        await _connection.DisposeAsync().ConfigureAwait(false);
        SessionLog.Ended(_context.Logger, Id, end);
        _context.OnEnded(this);
        _ended.TrySetResult();
    }
}
