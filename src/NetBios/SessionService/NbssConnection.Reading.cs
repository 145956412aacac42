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

    private async Task<SessionState> ReadLoopAsync()
    {
        var options = _context.Options;
        bool partialHeader = false;
        ReceiveOperation? finished = null; // holds a whole message, handed over once the next read is under way
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
                    _receives.Complete(finished, SessionIoStatus.Ok);
                    result = await read.ConfigureAwait(false);
                }
                else
                {
                    result = await new HandOver(read, finished, _receives);
                }

                finished = null;
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
                        Volatile.Write(ref _lastActivity, _context.Time.GetTimestamp());
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
                        SessionLog.UnexpectedFrame(_context.Logger, _sessionId, header.Type);
                        return SessionState.Aborted;
                }
            }
        }
        finally
        {
            // A message received whole is delivered even when the session ends right after it.
            if (finished is not null)
            {
                _receives.Complete(finished, SessionIoStatus.Ok);
            }
        }
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
                _receives.Complete(op, SessionIoStatus.Incomplete);
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

                await _receives.WaitForReceiverAsync().ConfigureAwait(false);
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

            var result = await _input.ReadAsync().ConfigureAwait(false);
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

    /// <summary>Awaits a pending pipe read and, once the awaiting loop's continuation is registered on it, completes a finished receive on this thread.</summary>
    private readonly struct HandOver(ValueTask<ReadResult> read, ReceiveOperation finished, SessionReceiveQueue receives) : ICriticalNotifyCompletion
    {
        private readonly ConfiguredValueTaskAwaitable<ReadResult>.ConfiguredValueTaskAwaiter _read = read.ConfigureAwait(false).GetAwaiter();

        public bool IsCompleted => false;

        public HandOver GetAwaiter() => this;

        public ReadResult GetResult() => _read.GetResult();

        public void OnCompleted(Action continuation)
        {
            _read.OnCompleted(continuation);
            receives.Complete(finished, SessionIoStatus.Ok, inline: true);
        }

        public void UnsafeOnCompleted(Action continuation)
        {
            _read.UnsafeOnCompleted(continuation);
            receives.Complete(finished, SessionIoStatus.Ok, inline: true);
        }
    }
}
