using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

// The read loop: headers, bodies streamed into receives (through the pipe or read directly), the hand-over of a whole message.
internal sealed partial class NbssConnection
{
    /// <summary>Body bytes a peer must have sent before waiting for the application stops being its fault.</summary>
    private const int ProgressBytes = 4096;

    /// <summary>
    /// Body bytes still wanted from which a receive reads straight from the connection into its buffer (when the pipe
    /// holds none): one read, no copy. Below this the pipe's larger reads win, as they also bring the next headers.
    /// </summary>
    private const int DirectReadMinimum = 16 * 1024;

    /// <summary>
    /// How many hand-overs may run nested on one thread (a receiver run inline posts its next receive, which runs the
    /// read loop inline, which hands the next message over inline, …) before one goes through the thread pool and the
    /// stack unwinds. In a steady stream the nesting does not build up (the receiver's next receive completes before
    /// it awaits it); this bounds the stack when it would.
    /// </summary>
    private const int MaxNestedHandOvers = 16;

    [ThreadStatic]
    private static int t_nestedHandOvers;

    private ReceiveOperation? _finished; // read loop only: a receive filled, handed over at the loop's next wait
    private bool _answeredInHandOver; // the receiver sent on this session during the last inline hand-over
    private SessionIoStatus _finishedStatus;
    private bool _awaitingHeader; // the loop waits for the next frame's first bytes (PollInput)
    private int _lastMessageLength; // the last SESSION MESSAGE's length (PollInput)

    private async Task<SessionState> ReadLoopAsync()
    {
        var options = _context.Options;
        bool partialHeader = false;
        try
        {
            while (true)
            {
                if (StopRequested)
                {
                    return StopState();
                }

                if (!partialHeader)
                {
                    SetDeadline(options.IdleTimeout);
                }

                // A filled receive waits for the loop's next wait that does not complete at once (WhenReady): there
                // it is handed over on this thread once the loop's continuation is registered, so the receiver runs
                // without a thread hop and cannot hold the loop up, even by waiting for its next receive (a held
                // readiness wait starts when it posts that receive, or returns: HoldReadinessForHandOver).
                if (_finished is not null && HoldReadinessForHandOver())
                {
                    _direct!.HoldInputReadiness();
                }

                Volatile.Write(ref _awaitingHeader, !partialHeader);
                var result = await WhenReady(_input.ReadAsync());
                Volatile.Write(ref _awaitingHeader, false);
                if (result.IsCanceled || StopRequested)
                {
                    Consume(result.Buffer, result.Buffer.Start);
                    if (StopRequested)
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
                    SessionLog.BadFrame(_context.Logger, _sessionId, error);
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
                        Volatile.Write(ref _lastMessageLength, header.Length);
                        Volatile.Write(ref _lastActivity, _context.Time.GetTimestamp());
                        do
                        {
                            // The usual case with a message filled and the next one here already: its receiver is
                            // awaited here, in the loop's own frame, so that the filled one is handed over inline.
                            ReceiveOperation? op = null;
                            while (_finished is not null && !StopRequested && BodyBuffered())
                            {
                                SetDeadline(Timeout.InfiniteTimeSpan); // the peer has sent enough (as in WaitForReceiverAsync)
                                if ((op = _receives.TryTake(SessionReceiveQueue.WakeBy.Signal)) is not null)
                                {
                                    break;
                                }

                                await WhenReady(_receives.WaitForReceiverAsync());
                            }

                            if (op is null)
                            {
                                (op, var end) = await WaitForReceiverAsync().ConfigureAwait(false);
                                if (op is null)
                                {
                                    return end;
                                }
                            }

                            if (await FillAsync(op).ConfigureAwait(false) is { } ended)
                            {
                                return ended;
                            }

                            if (_remaining == 0)
                            {
                                Finish(op, SessionIoStatus.Ok);
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
                        SessionLog.UnexpectedFrame(_context.Logger, _sessionId, header.Type);
                        return SessionState.Aborted;
                }
            }
        }
        finally
        {
            // A message received whole is delivered even when the session ends right after it.
            DeliverFinished();
        }
    }

    /// <summary>
    /// A receive of <paramref name="receiveLength"/> bytes was posted: lets the connection serve the loop's read with
    /// what the kernel holds (<see cref="Transport.IDirectReadConnection.PollInput"/>). When the loop waits for a header,
    /// the last message was large and the receive can take a large body, only the header is read: the body then goes
    /// from the socket straight into the receive (<see cref="DirectReadMinimum"/>), one <c>recv</c> more and no copy of
    /// it (issue 18, eighth round: the one-flow ping-pong at 64 KiB). Only here, where the message is known to be in the
    /// kernel already: a loop woken by the socket reads as much as it can.
    /// </summary>
    private void PollInput(int receiveLength)
    {
        bool headerAlone = receiveLength >= DirectReadMinimum && Volatile.Read(ref _lastMessageLength) >= DirectReadMinimum
            && Volatile.Read(ref _awaitingHeader);
        _direct!.PollInput(headerAlone ? SessionHeader.Size : 0);
    }

    /// <summary>
    /// Copies message bytes into <paramref name="op"/> until it is full (delivered as Incomplete) or the message ends
    /// (left to the caller to deliver); null to go on, or the session's end.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<SessionState?> FillAsync(ReceiveOperation op)
    {
        SetDeadline(_context.Options.BodyTimeout);
        while (true)
        {
            if (_remaining == 0)
            {
                _receives.Disown(); // the read loop hands the receive over with its next read
                return null;
            }

            if (op.Filled == op.Buffer.Length)
            {
                _receives.Disown();
                Finish(op, SessionIoStatus.Incomplete);
                return null;
            }

            if (!_input.TryRead(out var result))
            {
                int wanted = Math.Min(_remaining, op.Buffer.Length - op.Filled);
                if (_direct is not null && !_pipeHoldsBytes && wanted >= DirectReadMinimum)
                {
                    if (await Pending(ReadDirectAsync(op.Buffer.Slice(op.Filled, wanted))).ConfigureAwait(false) is not { } read)
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

                result = await Pending(_input.ReadAsync()).ConfigureAwait(false);
            }

            if (result.IsCanceled || StopRequested)
            {
                Consume(result.Buffer, result.Buffer.Start);
                if (StopRequested)
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
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
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

    /// <summary>
    /// Waits for a receive for the message whose header was read. Meanwhile the peer must keep sending the body:
    /// until <see cref="ProgressBytes"/> of it (or all of it) is buffered the body deadline runs, so a header alone
    /// (SMBLoris) is reaped even when the application posts no receive; after that the wait is the application's.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ReceiveOperation? Op, SessionState End)> WaitForReceiverAsync()
    {
        bool peerDone = false;
        SetDeadline(_context.Options.BodyTimeout);
        while (true)
        {
            if (StopRequested)
            {
                return (null, StopState());
            }

            if (peerDone)
            {
                // Nothing more to watch on the connection: wait for a receive alone.
                if (_receives.TryTake(SessionReceiveQueue.WakeBy.Signal) is { } ready)
                {
                    return (ready, SessionState.Established);
                }

                await Pending(_receives.WaitForReceiverAsync()).ConfigureAwait(false);
                continue;
            }

            // A receive posted from here on interrupts the pipe read below (or makes it return at once).
            if (_receives.TryTake(SessionReceiveQueue.WakeBy.InterruptRead) is { } op)
            {
                return (op, SessionState.Established);
            }

            if (_input.TryRead(out var buffered))
            {
                // Enough of the body already here: no read to start and interrupt again.
                peerDone = PeerSentEnough(buffered.Buffer.Length);
                Consume(buffered.Buffer, buffered.Buffer.Start);
                if (peerDone)
                {
                    SetDeadline(Timeout.InfiniteTimeSpan);
                    continue;
                }
            }

            var result = await Pending(_input.ReadAsync()).ConfigureAwait(false);
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

    /// <summary>Whether the pipe holds enough of the current body for the peer to be done (<see cref="PeerSentEnough"/>); consumes nothing.</summary>
    private bool BodyBuffered()
    {
        if (!_input.TryRead(out var buffered))
        {
            return false;
        }

        bool enough = !buffered.IsCanceled && PeerSentEnough(buffered.Buffer.Length);
        Consume(buffered.Buffer, buffered.Buffer.Start);
        return enough;
    }

    /// <summary>A wait of an inner method of the read loop: the filled receive goes to the thread pool first when the wait has to wait (its inline hand-over is only safe in the loop's own frame, <see cref="WhenReady"/>).</summary>
    private ValueTask<T> Pending<T>(ValueTask<T> wait)
    {
        if (!wait.IsCompleted)
        {
            DeliverFinished();
        }

        return wait;
    }

    /// <summary>True when <paramref name="buffered"/> body bytes (all of it, or <see cref="ProgressBytes"/>) free the peer of the body deadline.</summary>
    private bool PeerSentEnough(long buffered) => buffered >= Math.Min(_remaining, ProgressBytes);

    /// <summary>
    /// A receive is filled (<paramref name="status"/>: the message ended, or the buffer is full): it is handed over at the
    /// loop's next wait (<see cref="WhenReady"/>), or on the thread pool when another is filled first (in order).
    /// </summary>
    private void Finish(ReceiveOperation op, SessionIoStatus status)
    {
        DeliverFinished();
        _finished = op;
        _finishedStatus = status;
    }

    /// <summary>Hands the filled receive over now, its receiver's continuation on the thread pool.</summary>
    private void DeliverFinished()
    {
        if (TakeFinished(out var status) is { } op)
        {
            _receives.Complete(op, status);
        }
    }

    private ReceiveOperation? TakeFinished(out SessionIoStatus status)
    {
        var op = _finished;
        status = _finishedStatus;
        _finished = null;
        return op;
    }

    /// <summary>
    /// Whether the input read about to start, if it waits, holds its readiness wait back until the filled receive has
    /// been handed over (<see cref="HandOverInline"/>; issue 18, seventh round): the receiver's continuation, typically
    /// its next send, then goes before the readiness wait's zero-byte receive and probe instead of after them. Only
    /// when the receiver answered during the last hand-over (a request and its answer, where the answer is the next
    /// thing on the wire; a receiver that only receives gains nothing, and a readiness wait started after its
    /// continuation would find the next messages there already and run the loop nested in it), and when it cannot be
    /// waiting for another message of this session without posting a receive (which starts the held wait,
    /// <see cref="Transport.IDirectReadConnection.PollInput"/>): none of its receives is queued, and no RECEIVE ANY can
    /// take one. Not near the nesting bound, where a readiness wait that completes at once would nest the loop once
    /// more.
    /// </summary>
    private bool HoldReadinessForHandOver() =>
        _answeredInHandOver && _direct is not null && _receives.NoneQueued && _context.Fallback is null
        && t_nestedHandOvers < MaxNestedHandOvers - 1;

    /// <summary>
    /// Hands a filled receive over on this thread, the read loop's continuation being registered on its wait already
    /// (the receiver then cannot hold the loop up); through the thread pool past <see cref="MaxNestedHandOvers"/>.
    /// </summary>
    private void HandOverInline(ReceiveOperation op, SessionIoStatus status)
    {
        if (t_nestedHandOvers >= MaxNestedHandOvers)
        {
            _receives.Complete(op, status);
            return;
        }

        t_nestedHandOvers++;
        int sends = _sendsStarted;
        try
        {
            _receives.Complete(op, status, inline: true);
        }
        finally
        {
            _answeredInHandOver = _sendsStarted != sends;
            _direct?.ReleaseInputReadiness(); // within the nesting count: the loop may go on inline from here
            t_nestedHandOvers--;
        }
    }

    /// <summary>
    /// Awaits a wait of the read loop in the loop's own frame (<see cref="ReadLoopAsync"/>, never an inner method, whose
    /// caller registers its continuation only after the inner method returns); when the wait does not complete at
    /// once, the filled receive is handed over once the loop's continuation is registered on it.
    /// </summary>
    private HandOver<T> WhenReady<T>(ValueTask<T> wait) => new(wait, this);

    /// <summary>
    /// The awaiter of <see cref="WhenReady"/>: a wait that completed continues at once (the filled receive stays for the
    /// next wait); one that did not registers the loop's continuation, then hands the filled receive over inline. The
    /// receive is taken before the registration, after which the continuation may run on another thread.
    /// </summary>
    private readonly struct HandOver<T>(ValueTask<T> wait, NbssConnection connection) : ICriticalNotifyCompletion
    {
        private readonly ConfiguredValueTaskAwaitable<T>.ConfiguredValueTaskAwaiter _wait = wait.ConfigureAwait(false).GetAwaiter();

        public bool IsCompleted => _wait.IsCompleted;

        public HandOver<T> GetAwaiter() => this;

        public T GetResult() => _wait.GetResult();

        public void OnCompleted(Action continuation)
        {
            var finished = connection.TakeFinished(out var status);
            _wait.OnCompleted(continuation);
            if (finished is not null)
            {
                connection.HandOverInline(finished, status);
            }
        }

        public void UnsafeOnCompleted(Action continuation)
        {
            var finished = connection.TakeFinished(out var status);
            _wait.UnsafeOnCompleted(continuation);
            if (finished is not null)
            {
                connection.HandOverInline(finished, status);
            }
        }
    }
}
