using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using NetBios.Transport;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

/// <summary>
/// The connection under one session ([RFC 1002] 4.3, 5.3.3): frames over the stream's <see cref="IDuplexPipe"/>, the
/// read loop that streams message bodies into the session's receives, the per-state deadlines, keepalives, and the
/// direct socket read for large bodies.
/// </summary>
/// <remarks>
/// <para>
/// One asynchronous read loop (no thread): it ignores SESSION KEEP ALIVE wherever it arrives, answers the legacy 0x89
/// with 0x85, and copies message bodies straight from the pipe into the receives of its
/// <see cref="SessionReceiveQueue"/>, never buffering a whole message. A message is only read once a receive is
/// waiting, so a slow reader holds the peer back through the pipe's flow control. A body of at least
/// <see cref="DirectReadMinimum"/> bytes still wanted, with the pipe empty, is read from the socket straight into the
/// receive's buffer (<see cref="IDirectReadConnection"/>).
/// </para>
/// <para>
/// Deadlines (idle, mid-header, mid-body) are timestamps on the session clock, checked by the service's
/// <see cref="SessionTimers"/>, which also asks for keepalives once the connection has sent nothing for a while.
/// </para>
/// <para>Thread safety: sends are serialised; <see cref="Abort"/> and <see cref="CloseAsync"/> may be called at any time.</para>
/// </remarks>
internal sealed partial class NbssConnection : IAsyncDisposable
{
    private const int NoStop = 0, HangUp = 1, AbortNow = 2; // _stopRequest

    private const int Accepting = -1; // _sendRefusal

    /// <summary>At most this many bytes of a streaming sender's frames are held back (<see cref="SessionServiceOptions.CoalesceSends"/>).</summary>
    private const int HoldLimit = 64 * 1024;

    private enum FrameWrite
    {
        Sent,
        Held,
        Buffered, // written, to be flushed now
    }

    private readonly IStreamConnection _transport;
    private readonly IDirectReadConnection? _direct;
    private readonly SessionReceiveQueue _receives;
    private readonly SessionContext _context;
    private readonly int _sessionId;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly TcpStreamPipeWriter? _socketOutput; // _output when it can send a frame gathered (WriteMessage)
    private readonly NbssFrameScanner _scanner;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _sendRefusal = Accepting; // a SessionIoStatus once the session takes no more sends
    private int _pendingSends;
    private int _sendsStarted; // counts sends (unsynchronized: only compared, HandOverInline)
    private int _activityAtLastSend = -1; // send lock: _receives.Activity at the last send (WriteMessage)
    private int _flushHeldQueued; // 1 from a frame held until FlushHeld sends it (written under the send lock)
    private HeldFlush? _heldFlush;
    private int _stopRequest;
    private int _remaining;
    private bool _pipeHoldsBytes; // read loop only
    private long _lastSend;
    private long _lastActivity;
    private long _deadline = long.MaxValue;

    /// <summary>Wraps an established connection; <see cref="RunAsync"/> starts reading.</summary>
    /// <param name="transport">The stream connection, owned from here on.</param>
    /// <param name="receives">Where message bytes go.</param>
    /// <param name="context">Settings, clock and logger.</param>
    /// <param name="sessionId">The session's number, for logs.</param>
    public NbssConnection(IStreamConnection transport, SessionReceiveQueue receives, SessionContext context, int sessionId)
    {
        _transport = transport;
        _direct = transport as IDirectReadConnection;
        _input = transport.Transport.Input;
        _output = transport.Transport.Output;
        _socketOutput = _output as TcpStreamPipeWriter;
        _scanner = new NbssFrameScanner(context.Options.MaxMessageSize);
        _receives = receives;
        _receives.SetReadInterrupt(InterruptPipeRead);
        if (_direct is not null)
        {
            _receives.SetInputPoll(PollInput);
        }

        _context = context;
        _sessionId = sessionId;
        _lastSend = _lastActivity = context.Time.GetTimestamp();
    }

    /// <summary>The peer's address and port.</summary>
    public IPEndPoint RemoteEndPoint => _transport.RemoteEndPoint;

    /// <summary>When the peer is reaped unless the read loop gets further (a timestamp); <see cref="long.MaxValue"/> for none.</summary>
    public long Deadline => Volatile.Read(ref _deadline);

    /// <summary>When this side last sent a frame (a timestamp).</summary>
    public long LastSend => Volatile.Read(ref _lastSend);

    /// <summary>
    /// When the session last carried traffic (a timestamp): a SESSION MESSAGE started arriving or was sent. Keepalives,
    /// ours or the peer's, do not count: they keep a quiet session alive but do not make it busy (eviction under
    /// pressure, <see cref="SessionServiceOptions.EvictionIdleTime"/>).
    /// </summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Tests: the socket's writer, when the connection is over a socket.</summary>
    internal TcpStreamPipeWriter? SocketOutput => _socketOutput;

    /// <summary>Tests: the socket's reader, when the connection is over a socket.</summary>
    internal TcpSocketPipeReader? SocketInput => (_transport as TcpStreamConnection)?.Input;

    /// <summary>Tests: called when the read loop has examined part of a body while no receive waits for it.</summary>
    internal Action? BodyExamined { get; set; }

    /// <summary>Tests: whether a deadline (idle, mid-header or mid-body) runs, i.e. the read loop has reached a timed wait.</summary>
    internal bool HasDeadline => Deadline != long.MaxValue;

    /// <summary>Reads until the session ends.</summary>
    /// <returns>How it ended: <see cref="SessionState.Closed"/> or <see cref="SessionState.Aborted"/>.</returns>
    public async Task<SessionState> RunAsync()
    {
        try
        {
            return await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex) || ex is InvalidOperationException)
        {
            return SessionState.Aborted;
        }
    }

    /// <summary>Sends not yet completed (waiting for the send lock or being written).</summary>
    public int PendingSends => Volatile.Read(ref _pendingSends);

    /// <summary>From now on sends are refused with <paramref name="status"/> (the session is hanging up or has ended).</summary>
    public void RefuseSends(SessionIoStatus status) => Volatile.Write(ref _sendRefusal, (int)status);

    /// <summary>Sends one SESSION MESSAGE made of two parts ([RFC 1002] 4.3.6); a send cancelled once it has started aborts the connection.</summary>
    /// <param name="first">The first part.</param>
    /// <param name="second">The second part (may be empty); the total is at most 131071 bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns><see cref="SessionIoStatus.Ok"/>, <see cref="SessionIoStatus.Cancelled"/>, or how the session ended.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<SessionIoStatus> SendMessageAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken)
    {
        bool started = false;
        Interlocked.Increment(ref _pendingSends);
        _sendsStarted++;
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (SendRefusal is { } ended)
                {
                    return ended;
                }

                started = true;
                var flush = default(FlushResult);
                switch (WriteMessage(first, second))
                {
                    case FrameWrite.Held:
                        QueueFlushHeld();
                        break;
                    case FrameWrite.Buffered:
                        flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }

                long sent = _context.Time.GetTimestamp();
                Volatile.Write(ref _lastSend, sent);
                Volatile.Write(ref _lastActivity, sent);
                return flush.IsCompleted ? SessionIoStatus.Closed : SessionIoStatus.Ok;
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

            return SessionIoStatus.Cancelled;
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex))
        {
            Abort();
            return SessionIoStatus.Aborted;
        }
        catch (InvalidOperationException)
        {
            // The writer was completed under us: the session ended.
            return SendRefusal ?? SessionIoStatus.Closed;
        }
        finally
        {
            Interlocked.Decrement(ref _pendingSends);
        }
    }

    /// <summary>
    /// Writes a SESSION MESSAGE frame: over a socket, held back when the sender streams
    /// (<see cref="SessionServiceOptions.CoalesceSends"/>), else sent at once with one gathered send of header and parts
    /// (no copy); otherwise the whole frame in one contiguous buffer, so that the stream gets one write per message, not
    /// one per pipe segment (a 64 KiB message would otherwise leave as 16 writes of 4 KiB).
    /// </summary>
    /// <returns>Whether the frame is sent already, held (<see cref="QueueFlushHeld"/>), or written and to be flushed now.</returns>
    private FrameWrite WriteMessage(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        int length = first.Length + second.Length;
        if (_socketOutput is { } socketOutput)
        {
            Span<byte> header = stackalloc byte[SessionHeader.Size];
            SessionHeader.TryWriteMessageHeader(header, length);
            int activity = _receives.Activity;
            bool streaming = activity == _activityAtLastSend;
            _activityAtLastSend = activity;
            if (streaming && _context.Options.CoalesceSends && socketOutput.TryHold(header, first.Span, second.Span, HoldLimit))
            {
                return FrameWrite.Held;
            }

            return socketOutput.WriteGathered(header, first.Span, second.Span) ? FrameWrite.Sent : FrameWrite.Buffered;
        }

        int frameLength = SessionHeader.Size + length;
        var frame = _output.GetSpan(frameLength);
        SessionHeader.TryWriteMessageHeader(frame, length);
        first.Span.CopyTo(frame[SessionHeader.Size..]);
        second.Span.CopyTo(frame[(SessionHeader.Size + first.Length)..]);
        _output.Advance(frameLength);
        return FrameWrite.Buffered;
    }

    /// <summary>With the send lock, after a frame was held: makes sure a <see cref="FlushHeld"/> will run (once per batch).</summary>
    private void QueueFlushHeld()
    {
        if (_flushHeldQueued == 0)
        {
            Volatile.Write(ref _flushHeldQueued, 1);
            // Preferring this thread's queue: it runs right after the sender's work item returns, unless another thread takes it first.
            ThreadPool.UnsafeQueueUserWorkItem(_heldFlush ??= new HeldFlush(this), preferLocal: true);
        }
    }

    /// <summary>
    /// Sends what a streaming sender's sends left held (<see cref="SessionServiceOptions.CoalesceSends"/>): from the
    /// thread pool once the sender's work item returns, and when a receive of the session is posted (its caller may
    /// block on it, keeping that work item from ever returning); nothing to do when another send took it along already.
    /// </summary>
    public void FlushHeld()
    {
        if (Volatile.Read(ref _flushHeldQueued) != 0)
        {
            _ = FlushHeldAsync();
        }
    }

    private async Task FlushHeldAsync()
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await SendHeldLockedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex) || ex is InvalidOperationException)
        {
            Abort(); // the held messages cannot reach the peer: the session ends (as when TCP loses what it buffered)
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>With the send lock: sends what streaming sends left held, if anything (the flush the held frames wait for).</summary>
    private async ValueTask SendHeldLockedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _flushHeldQueued) != 0)
        {
            Volatile.Write(ref _flushHeldQueued, 0);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a SESSION KEEP ALIVE ([RFC 1002] 4.3.7) unless the session has stopped or a send is under way.</summary>
    public void SendKeepAlive()
    {
        if (SendRefusal is null)
        {
            _ = SendControlAsync(SessionKeepAlive.Instance, wait: false);
        }
    }

    /// <summary>
    /// Closes gracefully (once): waits up to <see cref="SessionServiceOptions.HangUpTimeout"/> for a send in progress
    /// (aborts when that takes too long), then stops the read loop.
    /// </summary>
    public async ValueTask CloseAsync()
    {
        if (Interlocked.CompareExchange(ref _stopRequest, HangUp, NoStop) != NoStop)
        {
            return;
        }

        if (!await WaitForSendsAsync().ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _stopRequest, AbortNow);
            _transport.Abort();
        }

        StopReading();
    }

    /// <summary>Ends the connection at once (a TCP reset) and stops the read loop.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _stopRequest, AbortNow);
        _transport.Abort();
        StopReading();
    }

    /// <summary>After the read loop: lets a send in progress finish (bounded, else aborts), then releases the connection.</summary>
    /// <returns>A task that completes when the connection is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!await WaitForSendsAsync().ConfigureAwait(false))
        {
            _transport.Abort();
        }

        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex) || ex is InvalidOperationException or OperationCanceledException)
        {
            // Already torn down.
        }
    }

    private SessionIoStatus? SendRefusal => Volatile.Read(ref _sendRefusal) is var refusal and not Accepting ? (SessionIoStatus)refusal : null;

    /// <summary>
    /// Waits up to <see cref="SessionServiceOptions.HangUpTimeout"/> until no send is in progress and what streaming
    /// sends left held is sent; false when that took too long.
    /// </summary>
    private async ValueTask<bool> WaitForSendsAsync()
    {
        using var cts = new CancellationTokenSource(_context.Options.HangUpTimeout, _context.Time);
        try
        {
            await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            await SendHeldLockedAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex) || ex is InvalidOperationException)
        {
            return true; // nothing left to send to: the close goes on and finds the connection gone
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Ends a read in progress, through the pipe or straight from the connection, and a wait for a receiver, so that the read loop sees the stop request.</summary>
    private void StopReading()
    {
        _stopReading.Cancel();
        InterruptPipeRead();
        _receives.WakeReader();
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
            if (SendRefusal is not null)
            {
                return;
            }

            packet.TryEncode(_output.GetSpan(packet.FrameLength), out int written);
            _output.Advance(written);
            Volatile.Write(ref _lastSend, _context.Time.GetTimestamp());
            await _output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (SocketErrors.IsConnectionFailure(ex) || ex is InvalidOperationException)
        {
            Abort();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void SetDeadline(TimeSpan timeout) => Volatile.Write(ref _deadline, _context.DeadlineAfter(timeout));

    private SessionState StopState() => Volatile.Read(ref _stopRequest) == AbortNow ? SessionState.Aborted : SessionState.Closed;

    private bool StopRequested => Volatile.Read(ref _stopRequest) != NoStop;

    /// <summary>The thread-pool work item that sends held frames (<see cref="FlushHeld"/>), one per connection, queued once per batch.</summary>
    private sealed class HeldFlush(NbssConnection connection) : IThreadPoolWorkItem
    {
        public void Execute() => connection.FlushHeld();
    }
}
