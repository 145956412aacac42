using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using NetBios.Transport;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

/// <summary>
/// One established NetBIOS session ([RFC 1001] 16.1, [RFC 1002] 5.3.3 session data transfer): whole messages of up to
/// 131071 bytes over a stream connection's <see cref="IDuplexPipe"/>.
/// </summary>
/// <remarks>
/// <para>
/// One asynchronous read loop per session (no thread): it ignores SESSION KEEP ALIVE wherever it arrives, answers the
/// legacy 0x89 with 0x85, and copies message bodies straight from the pipe into pending receive buffers (its own
/// receives first, then the service's fallback, NCB RECEIVE ANY), never buffering a whole message. A message is only
/// read once a receive is waiting, so a slow reader holds the peer back through the pipe's flow control.
/// </para>
/// <para>
/// Thread safety: all members may be called concurrently. Sends are serialised; hang-up and abort are idempotent.
/// </para>
/// </remarks>
public sealed class NbssSession : IAsyncDisposable
{
    /// <summary>Body bytes a peer must have sent before waiting for the application stops being its fault.</summary>
    private const int ProgressBytes = 4096;

    /// <summary>
    /// Body bytes still wanted from which a receive reads straight from the connection into its buffer (when the pipe
    /// holds none): one read, no copy. Below this the pipe's larger reads win, as they also bring the next headers.
    /// </summary>
    private const int DirectReadMinimum = 16 * 1024;

    private readonly SessionServiceNode _service;
    private readonly IStreamConnection _connection;
    private readonly IDirectReadConnection? _direct;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly NbssFrameScanner _scanner;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<ReceiveOperation> _receives = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _receiverArrived;
    private ReceiveOperation? _owned;
    private SessionState _state = SessionState.Established;
    private bool _outputClosed;
    private int _stopRequest; // 0 none, 1 hang up, 2 abort
    private int _pendingSends;
    private int _remaining;
    private bool _pipeHoldsBytes; // read loop only
    private long _lastSend;
    private long _deadline = long.MaxValue;

    internal NbssSession(SessionServiceNode service, IStreamConnection connection, int id, NetBiosName localName, NetBiosName remoteName, bool isCaller,
        TimeProvider time, ILogger logger)
    {
        _service = service;
        _connection = connection;
        _direct = connection as IDirectReadConnection;
        _input = connection.Transport.Input;
        _output = connection.Transport.Output;
        _scanner = new NbssFrameScanner(service.Options.MaxMessageSize);
        _time = time;
        _logger = logger;
        _lastSend = time.GetTimestamp();
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

    /// <summary>Tests: called when the read loop has examined part of a body while no receive waits for it.</summary>
    internal Action? BodyExamined { get; set; }

    /// <summary>Tests: whether a deadline (idle, mid-header or mid-body) runs, i.e. the read loop has reached a timed wait.</summary>
    internal bool HasDeadline => Volatile.Read(ref _deadline) != long.MaxValue;

    /// <summary>A snapshot for NCB SESSION STATUS.</summary>
    /// <returns>Names, state and pending operation counts.</returns>
    public SessionStatusInfo GetStatus()
    {
        lock (_gate)
        {
            return new SessionStatusInfo(Id, LocalName, RemoteName, _state, _receives.Count + (_owned?.Session == this ? 1 : 0),
                Volatile.Read(ref _pendingSends), RemoteEndPoint, IsCaller);
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
    public async ValueTask<SessionIoStatus> SendAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        int length = first.Length + second.Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, SessionHeader.MaxLength, nameof(second));
        using var timeoutCts = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, _time);
        using var linked = timeoutCts is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var token = linked?.Token ?? cancellationToken;
        Interlocked.Increment(ref _pendingSends);
        bool started = false;
        try
        {
            await _sendLock.WaitAsync(token).ConfigureAwait(false);
            try
            {
                if (EndStatus() is { } ended)
                {
                    return ended;
                }

                started = true;
                // The whole frame in one contiguous buffer: the stream then gets one write per message, not one per
                // pipe segment (a 64 KiB message would otherwise leave as 16 writes of 4 KiB).
                int frameLength = SessionHeader.Size + length;
                var frame = _output.GetSpan(frameLength);
                SessionHeader.TryWriteMessageHeader(frame, length);
                first.Span.CopyTo(frame[SessionHeader.Size..]);
                second.Span.CopyTo(frame[(SessionHeader.Size + first.Length)..]);
                _output.Advance(frameLength);

                var flush = await _output.FlushAsync(token).ConfigureAwait(false);
                Volatile.Write(ref _lastSend, _time.GetTimestamp());
                if (flush.IsCompleted)
                {
                    return SessionIoStatus.Closed;
                }

                return SessionIoStatus.Ok;
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (OperationCanceledException)
        {
            if (started)
            {
                // Part of a message may be on its way: the stream can no longer be trusted (NCB: a cancelled send ends the session).
                Abort();
            }

            return timeoutCts?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested ? SessionIoStatus.TimedOut : SessionIoStatus.Cancelled;
        }
        catch (IOException)
        {
            Abort();
            return SessionIoStatus.Aborted;
        }
        catch (InvalidOperationException)
        {
            // The writer was completed under us: the session ended.
            return EndStatus() ?? SessionIoStatus.Closed;
        }
        finally
        {
            Interlocked.Decrement(ref _pendingSends);
        }
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
        var op = new ReceiveOperation(buffer, this, null);
        lock (_gate)
        {
            if (_state != SessionState.Established)
            {
                return ValueTask.FromResult(new SessionReceiveResult(EndStatusLocked() ?? SessionIoStatus.Closed, 0, this));
            }

            _receives.Enqueue(op);
        }

        op.CompleteWhenCancelled(RemoveQueued, timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, _time), cancellationToken);
        WakeReader();
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
            }
        }

        if (Interlocked.CompareExchange(ref _stopRequest, 1, 0) == 0)
        {
            using var cts = new CancellationTokenSource(_service.Options.HangUpTimeout, _time);
            try
            {
                await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
                _sendLock.Release();
            }
            catch (OperationCanceledException)
            {
                Interlocked.Exchange(ref _stopRequest, 2);
                _connection.Abort();
            }

            StopReading();
            WakeReader();
        }

        await _ended.Task.ConfigureAwait(false);
        return State;
    }

    /// <summary>Ends the session at once (a TCP reset); pending operations complete with <see cref="SessionIoStatus.Aborted"/>.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _stopRequest, 2);
        _connection.Abort();
        StopReading();
        WakeReader();
    }

    /// <summary>Ends a read in progress, through the pipe or straight from the connection, so that the read loop sees the stop request.</summary>
    private void StopReading()
    {
        _stopReading.Cancel();
        InterruptPipeRead();
    }

    private void InterruptPipeRead()
    {
        try
        {
            _input.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // The reader is already completed.
        }
    }

    /// <summary>Hangs up (see <see cref="HangUpAsync"/>).</summary>
    /// <returns>A task that completes when the session has ended.</returns>
    public async ValueTask DisposeAsync() => await HangUpAsync().ConfigureAwait(false);

    internal void Start() => _ = Task.Run(RunAsync, CancellationToken.None);

    /// <summary>Called by the service's timer: reaps a peer past its deadline and sends keepalives on idle sessions.</summary>
    internal void OnTimer(long now)
    {
        if (now >= Volatile.Read(ref _deadline))
        {
            SessionLog.Reaped(_logger, RemoteEndPoint);
            Abort();
            return;
        }

        var keepAlive = _service.Options.KeepAliveInterval;
        if (keepAlive != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(Volatile.Read(ref _lastSend), now) >= keepAlive && State == SessionState.Established)
        {
            _ = SendControlAsync(SessionKeepAlive.Instance, wait: false);
        }
    }

    /// <summary>
    /// Wakes the read loop if it waits for a receive. Outside the lock and without a thread-pool hop: a message that
    /// is already here is copied into the new receive on this thread, so the receive usually completes at once.
    /// </summary>
    internal void WakeReader()
    {
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            waiting = _receiverArrived;
            _receiverArrived = null;
        }

        waiting?.TrySetResult();
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

    private SessionIoStatus? EndStatus()
    {
        lock (_gate)
        {
            return _outputClosed ? EndStatusLocked() ?? SessionIoStatus.Closed : EndStatusLocked();
        }
    }

    private SessionIoStatus? EndStatusLocked() => _state switch
    {
        SessionState.Aborted => SessionIoStatus.Aborted,
        SessionState.Closed => SessionIoStatus.Closed,
        SessionState.HangUpPending => SessionIoStatus.Closed,
        _ => null,
    };

    private async Task SendControlAsync(SessionPacket packet, bool wait)
    {
        if (wait)
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
        }
        else if (!_sendLock.Wait(0))
        {
            return; // a send is under way: no keepalive needed
        }

        try
        {
            if (EndStatus() is not null)
            {
                return;
            }

            packet.TryEncode(_output.GetSpan(packet.FrameLength), out int written);
            _output.Advance(written);
            Volatile.Write(ref _lastSend, _time.GetTimestamp());
            await _output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Abort();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void SetDeadline(TimeSpan timeout) => Volatile.Write(ref _deadline, _service.DeadlineAfter(timeout));

    private async Task RunAsync()
    {
        SessionState end;
        try
        {
            end = await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            end = SessionState.Aborted;
        }
        catch (InvalidOperationException)
        {
            end = SessionState.Aborted;
        }

        await TearDownAsync(end).ConfigureAwait(false);
    }

    private SessionState StopState() => Volatile.Read(ref _stopRequest) == 2 ? SessionState.Aborted : SessionState.Closed;

    private async Task<SessionState> ReadLoopAsync()
    {
        var options = _service.Options;
        bool partialHeader = false;
        ReceiveOperation? finished = null; // holds a whole message, handed over once the next read is under way
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _stopRequest) != 0)
                {
                    return StopState();
                }

                if (!partialHeader)
                {
                    SetDeadline(options.IdleTimeout);
                }

                // A whole message waiting for its receiver is handed over while the next read is under way: on this
                // thread once the read is pending (this loop's continuation is registered on the read first, so the
                // receiver cannot hold it up, even by waiting for its next receive), on the thread pool otherwise.
                var read = _input.ReadAsync();
                ReadResult result;
                if (finished is null)
                {
                    result = await read.ConfigureAwait(false);
                }
                else if (read.IsCompleted)
                {
                    finished.TryComplete(SessionIoStatus.Ok, this);
                    result = await read.ConfigureAwait(false);
                }
                else
                {
                    result = await new HandOver(read, finished, this);
                }

                finished = null;
                if (result.IsCanceled || Volatile.Read(ref _stopRequest) != 0)
                {
                    Consume(result.Buffer, result.Buffer.Start);
                    if (Volatile.Read(ref _stopRequest) != 0)
                    {
                        return StopState();
                    }

                    continue; // a wake-up meant for an earlier wait
                }

                var buffer = result.Buffer;
                var status = _scanner.TryReadHeader(buffer, out var header, out var error);
                if (status == OperationStatus.InvalidData)
                {
                    Consume(buffer, buffer.Start);
                    SessionLog.BadFrame(_logger, Id, error);
                    return SessionState.Aborted;
                }

                if (status == OperationStatus.NeedMoreData)
                {
                    Consume(buffer, buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        // A clean end between frames is a close; a header cut short is not.
                        return buffer.IsEmpty ? SessionState.Closed : SessionState.Aborted;
                    }

                    if (!buffer.IsEmpty && !partialHeader)
                    {
                        partialHeader = true;
                        SetDeadline(options.HeaderTimeout);
                    }

                    continue;
                }

                partialHeader = false;
                Consume(buffer, buffer.GetPosition(SessionHeader.Size));
                switch (header.Type)
                {
                    case SessionPacketType.SessionMessage:
                        _remaining = header.Length;
                        do
                        {
                            var (op, end) = await WaitForReceiverAsync().ConfigureAwait(false);
                            if (op is null)
                            {
                                return end;
                            }

                            if (await FillAsync(op).ConfigureAwait(false) is { } ended)
                            {
                                return ended;
                            }

                            if (_remaining == 0)
                            {
                                finished = op;
                            }
                        }
                        while (_remaining > 0);
                        break;

                    case SessionPacketType.SessionKeepAlive:
                        break; // [RFC 1002] 4.3.7: may arrive at any time, ignored.

                    case SessionPacketType.LegacyKeepAliveRequest:
                        _ = SendControlAsync(SessionKeepAlive.Instance, wait: true);
                        break;

                    default:
                        SessionLog.UnexpectedFrame(_logger, Id, header.Type);
                        return SessionState.Aborted;
                }
            }
        }
        finally
        {
            // A message received whole is delivered even when the session ends right after it.
            finished?.TryComplete(SessionIoStatus.Ok, this);
        }
    }

    /// <summary>
    /// Copies message bytes into <paramref name="op"/> until it is full (delivered as Incomplete) or the message ends
    /// (left to the caller to deliver); null to go on, or the session's end.
    /// </summary>
    private async ValueTask<SessionState?> FillAsync(ReceiveOperation op)
    {
        SetDeadline(_service.Options.BodyTimeout);
        while (true)
        {
            if (_remaining == 0)
            {
                Disown(); // the read loop hands the receive over with its next read
                return null;
            }

            if (op.Filled == op.Buffer.Length)
            {
                Deliver(op, SessionIoStatus.Incomplete);
                return null;
            }

            if (!_input.TryRead(out var result))
            {
                int wanted = Math.Min(_remaining, op.Buffer.Length - op.Filled);
                if (_direct is not null && !_pipeHoldsBytes && wanted >= DirectReadMinimum)
                {
                    if (await ReadDirectAsync(op.Buffer.Slice(op.Filled, wanted)).ConfigureAwait(false) is not { } read)
                    {
                        return StopState();
                    }

                    if (read == 0)
                    {
                        return SessionState.Aborted; // the peer stopped mid-body
                    }

                    op.Filled += read;
                    _remaining -= read;
                    continue;
                }

                result = await _input.ReadAsync().ConfigureAwait(false);
            }

            if (result.IsCanceled || Volatile.Read(ref _stopRequest) != 0)
            {
                Consume(result.Buffer, result.Buffer.Start);
                if (Volatile.Read(ref _stopRequest) != 0)
                {
                    return StopState();
                }

                continue;
            }

            var chunk = NbssFrameScanner.TakeBodyChunk(result.Buffer, ref _remaining, op.Buffer.Length - op.Filled);
            chunk.CopyTo(op.Buffer.Span[op.Filled..]);
            op.Filled += (int)chunk.Length;
            Consume(result.Buffer, chunk.End);
            if (chunk.IsEmpty && result.IsCompleted)
            {
                return SessionState.Aborted; // the peer stopped mid-body
            }
        }
    }

    /// <summary>
    /// Consumes <paramref name="buffer"/> up to <paramref name="consumed"/> and notes whether the pipe still holds bytes:
    /// <see cref="PipeReader.TryRead"/> cannot tell (it also answers false for bytes already examined), and a direct
    /// read past bytes left in the pipe would take the stream out of order.
    /// </summary>
    private void Consume(in ReadOnlySequence<byte> buffer, SequencePosition consumed, SequencePosition examined)
    {
        _pipeHoldsBytes = !buffer.Slice(consumed).IsEmpty;
        _input.AdvanceTo(consumed, examined);
    }

    private void Consume(in ReadOnlySequence<byte> buffer, SequencePosition consumed) => Consume(buffer, consumed, consumed);

    /// <summary>Reads body bytes past the (empty) pipe; null when a stop request ended the read.</summary>
    private async ValueTask<int?> ReadDirectAsync(Memory<byte> destination)
    {
        try
        {
            return await _direct!.ReadDirectAsync(destination, _stopReading.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private void Deliver(ReceiveOperation op, SessionIoStatus status)
    {
        Disown();
        op.TryComplete(status, this);
    }

    private void Disown()
    {
        lock (_gate)
        {
            _owned = null;
        }
    }

    /// <summary>
    /// Waits for a receive for the message whose header was read. Meanwhile the peer must keep sending the body:
    /// until <see cref="ProgressBytes"/> of it (or all of it) is buffered the body deadline runs, so a header alone
    /// (SMBLoris) is reaped even when the application posts no receive; after that the wait is the application's.
    /// </summary>
    private async ValueTask<(ReceiveOperation? Op, SessionState End)> WaitForReceiverAsync()
    {
        bool peerDone = false;
        SetDeadline(_service.Options.BodyTimeout);
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (Volatile.Read(ref _stopRequest) != 0)
                {
                    return (null, StopState());
                }

                while (_receives.TryDequeue(out var own))
                {
                    if (own.IsCompleted)
                    {
                        continue; // cancelled while queued
                    }

                    _owned = own;
                    return (own, SessionState.Established);
                }

                // Set before asking the fallback (RECEIVE ANY), so that one posted meanwhile wakes this wait.
                _receiverArrived = new TaskCompletionSource();
                wait = _receiverArrived.Task;
            }

            if (_service.ReceiveFallback?.TakeReceive(this) is { } any)
            {
                lock (_gate)
                {
                    _owned = any;
                }

                return (any, SessionState.Established);
            }

            if (peerDone)
            {
                await wait.ConfigureAwait(false);
                continue;
            }

            if (_input.TryRead(out var ready))
            {
                // Enough of the body already here: no read to start and interrupt again.
                peerDone = PeerSentEnough(ready.Buffer.Length);
                Consume(ready.Buffer, ready.Buffer.Start);
                if (peerDone)
                {
                    SetDeadline(Timeout.InfiniteTimeSpan);
                    continue;
                }
            }

            var read = _input.ReadAsync().AsTask();
            if (await Task.WhenAny(read, wait).ConfigureAwait(false) != read)
            {
                InterruptPipeRead();
            }

            var result = await read.ConfigureAwait(false);
            if (!result.IsCanceled && PeerSentEnough(result.Buffer.Length))
            {
                peerDone = true;
                SetDeadline(Timeout.InfiniteTimeSpan);
            }

            // Examined up to the end only while more is awaited: otherwise the next read must see these bytes at once.
            Consume(result.Buffer, result.Buffer.Start, result.IsCanceled || peerDone ? result.Buffer.Start : result.Buffer.End);
            if (!result.IsCanceled && !peerDone)
            {
                BodyExamined?.Invoke();
                if (result.IsCompleted)
                {
                    return (null, SessionState.Aborted); // the peer stopped mid-body
                }
            }
        }
    }

    /// <summary>True when <paramref name="buffered"/> body bytes (all of it, or <see cref="ProgressBytes"/>) free the peer of the body deadline.</summary>
    private bool PeerSentEnough(long buffered) => buffered >= Math.Min(_remaining, ProgressBytes);

    private async Task TearDownAsync(SessionState end)
    {
        if (end == SessionState.Aborted)
        {
            Interlocked.Exchange(ref _stopRequest, 2);
            _connection.Abort();
        }

        ReceiveOperation[] pending;
        ReceiveOperation? owned;
        lock (_gate)
        {
            _state = end;
            pending = [.. _receives];
            _receives.Clear();
            owned = _owned;
            _owned = null;
        }

        var status = end == SessionState.Aborted ? SessionIoStatus.Aborted : SessionIoStatus.Closed;
        bool told = owned?.TryComplete(status, this) == true;
        foreach (var op in pending)
        {
            told |= op.TryComplete(status, this);
        }

        if (!told)
        {
            _service.ReceiveFallback?.OnSessionEnded(this, status);
        }

        // Let a send in progress finish (bounded), then close the output so that later sends see the end.
        using (var cts = new CancellationTokenSource(_service.Options.HangUpTimeout, _time))
        {
            try
            {
                await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    _outputClosed = true;
                }

                _sendLock.Release();
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    _outputClosed = true;
                }

                _connection.Abort();
            }
        }

        try
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // Already torn down.
        }

        SessionLog.Ended(_logger, Id, end);
        _service.OnSessionEnded(this);
        _ended.TrySetResult();
    }

    /// <summary>Awaits a pending pipe read and, once the awaiting loop's continuation is registered on it, completes a finished receive on this thread.</summary>
    private readonly struct HandOver(ValueTask<ReadResult> read, ReceiveOperation finished, NbssSession session) : ICriticalNotifyCompletion
    {
        private readonly ConfiguredValueTaskAwaitable<ReadResult>.ConfiguredValueTaskAwaiter _read = read.ConfigureAwait(false).GetAwaiter();

        public bool IsCompleted => false;

        public HandOver GetAwaiter() => this;

        public ReadResult GetResult() => _read.GetResult();

        public void OnCompleted(Action continuation)
        {
            _read.OnCompleted(continuation);
            finished.TryComplete(SessionIoStatus.Ok, session, inline: true);
        }

        public void UnsafeOnCompleted(Action continuation)
        {
            _read.UnsafeOnCompleted(continuation);
            finished.TryComplete(SessionIoStatus.Ok, session, inline: true);
        }
    }
}
