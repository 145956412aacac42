using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace NetBios.Transport;

/// <summary>
/// The input of a <see cref="TcpStreamConnection"/>: a <see cref="PipeReader"/> straight over a non-blocking socket
/// (issue 18). A read first takes what the kernel already holds, on the reading thread, with a non-blocking
/// <c>recv</c>; only when there is nothing does it park on the socket's readiness (a zero-byte receive in the socket
/// engine). <see cref="Poll"/> lets another thread (one posting a session receive) serve a parked read the same way, so
/// that bytes already in the kernel reach their receiver without the epoll and thread-pool hops.
/// </summary>
/// <remarks>
/// <para>
/// One contiguous buffer, rented from <see cref="ArrayPool{T}"/> when bytes arrive and returned as soon as everything
/// in it has been consumed: an idle connection holds none. A read returns a single-segment sequence over it, so
/// nothing is allocated per read. The socket is read only when a read finds no unexamined bytes (as
/// <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions?)"/> does), so a consumer that stops reading holds the
/// peer back through TCP flow control; what is buffered is at most what the consumer left unconsumed plus one read.
/// </para>
/// <para>
/// Errors follow <see cref="NetworkStream"/>: a reset, or a socket closed by <see cref="TcpStreamConnection.Abort"/>,
/// fails the read with <see cref="IOException"/>; the peer's graceful close is a result with
/// <see cref="ReadResult.IsCompleted"/>. <see cref="CancelPendingRead"/> completes a parked read (or the next one) with
/// <see cref="ReadResult.IsCanceled"/>. One reader at a time (the pipe rules); <see cref="Poll"/>,
/// <see cref="CancelPendingRead"/> and the readiness callback may run on any thread: the state is under one lock, and
/// the reader's continuation runs outside it, inline on whichever thread completed the read.
/// </para>
/// </remarks>
internal sealed class TcpSocketPipeReader : PipeReader, IValueTaskSource<ReadResult>
{
    /// <summary>The buffer rented for the first bytes: reads a 16 KiB run of small messages at once.</summary>
    private const int BufferSize = 16 * 1024;

    /// <summary>
    /// The largest read size: while receives keep filling the buffer (a sender ahead of the reader) the read size
    /// doubles up to this, so a stream of small messages costs one <c>recv</c> per ~128 KiB, as raw TCP with a large
    /// receive buffer (issue 18, third round). 128 KiB rather than 64 KiB so that a 64 KiB message with its 4-byte
    /// header (65 540 bytes) comes in one <c>recv</c>, not 65 536 bytes and then 4 (issue 18, fifth round). It stays
    /// there for the connection (dropping it after a short receive made the buffers cycle through three pool sizes,
    /// which the pool then missed): an idle connection still holds no buffer, so only a busy one can hold up to this
    /// plus what its consumer leaves unconsumed.
    /// </summary>
    private const int MaxReadSize = 128 * 1024;

    /// <summary>Free bytes below which the buffer is compacted or grown before a receive.</summary>
    private const int MinimumReadSize = 4 * 1024;

    [ThreadStatic]
    private static TcpSocketPipeReader? t_lastSentOn; // the connection this thread last sent on (NoteSend; may outlive it until the next send)

    private readonly Socket _socket;
    private readonly Lock _gate = new();
    private readonly Action _onReadable;
    private ManualResetValueTaskSourceCore<ReadResult> _parked; // the pending ReadAsync or ReadDirectAsync
    private ManualResetValueTaskSourceCore<int> _parkedDirect;
    private readonly DirectSource _directSource;
    private ValueTask<int> _readiness; // the zero-byte receive under way in the socket engine
    private byte[]? _buffer;
    private int _start; // first unconsumed byte
    private int _examined; // first unexamined byte
    private int _end; // end of the received bytes
    private int _readSize = BufferSize; // the size to read into: grows while receives fill the buffer
    private bool _eof; // the peer closed
    private bool _drained; // the last receive took less than it asked for (or nothing): the kernel held no more then
    private Exception? _error; // the connection failed (IOException)
    private ParkKind _parkKind;
    private Memory<byte> _directDestination;
    private bool _readinessOutstanding;
    private bool _holdReadiness; // the next read that parks leaves its readiness wait to ReleaseReadiness
    private bool _readinessHeld; // a read parked with its readiness wait not yet started
    private int _parkId; // counts parked reads: a token registration belongs to one
    private bool _cancelNext;
    private bool _completed;
    private CancellationTokenRegistration _parkCancel;

    public TcpSocketPipeReader(Socket socket)
    {
        _socket = socket;
        _onReadable = OnReadable;
        _directSource = new DirectSource(this);
    }

    private enum ParkKind
    {
        None,
        Pipe,
        Direct,
    }

    private enum Outcome
    {
        WouldBlock,
        Data,
        End,
        Failed,
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_gate)
        {
            ThrowIfCompleted();
            if (HasResultLocked())
            {
                (result, var failure) = TakeResultLocked();
                if (failure is not null)
                {
                    throw failure;
                }

                return true;
            }
        }

        result = default;
        return false;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        int parkId;
        bool hold;
        lock (_gate)
        {
            ThrowIfCompleted();
            if (_parkKind != ParkKind.None)
            {
                throw new InvalidOperationException("A read is already pending.");
            }

            hold = _holdReadiness;
            _holdReadiness = false;
            if (HasResultLocked() || (!ReadinessWillProbeLocked && ReceiveLocked() != Outcome.WouldBlock))
            {
                var (result, failure) = TakeResultLocked();
                return failure is null ? new ValueTask<ReadResult>(result) : ValueTask.FromException<ReadResult>(failure);
            }

            _parked.Reset();
            _parkKind = ParkKind.Pipe;
            parkId = ++_parkId;
            _readinessHeld = hold;
        }

        var pending = new ValueTask<ReadResult>(this, _parked.Version);
        WatchToken(parkId, cancellationToken);
        if (!hold)
        {
            ArmReadiness();
        }

        return pending;
    }

    /// <summary>
    /// Reads at least one byte straight into <paramref name="destination"/>, past the buffer, which must hold no
    /// unconsumed bytes (see <see cref="IDirectReadConnection"/>); 0 when the peer closed.
    /// </summary>
    public ValueTask<int> ReadDirectAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        int parkId;
        lock (_gate)
        {
            ThrowIfCompleted();
            if (_parkKind != ParkKind.None || _start != _end)
            {
                throw new InvalidOperationException("A read is pending or the buffer holds bytes.");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<int>(cancellationToken);
            }

            if (_error is not null)
            {
                return ValueTask.FromException<int>(_error);
            }

            if (_eof)
            {
                return new ValueTask<int>(0);
            }

            var (outcome, count) = ReadinessWillProbeLocked ? (Outcome.WouldBlock, 0) : ReceiveInto(destination.Span);
            switch (outcome)
            {
                case Outcome.Data:
                    DirectReadsAtOnce++;
                    return new ValueTask<int>(count);
                case Outcome.End:
                    return new ValueTask<int>(0);
                case Outcome.Failed:
                    return ValueTask.FromException<int>(_error!);
            }

            _parkedDirect.Reset();
            _parkKind = ParkKind.Direct;
            _directDestination = destination;
            parkId = ++_parkId;
        }

        var pending = new ValueTask<int>(_directSource, _parkedDirect.Version);
        WatchToken(parkId, cancellationToken);
        ArmReadiness();
        return pending;
    }

    /// <summary>
    /// Serves a parked read with the bytes the kernel already holds, on this thread (the reader's continuation runs
    /// here, before this returns); nothing when no read is parked or no byte is there, or when the last receive drained
    /// the socket and no answer can be there yet (see <see cref="NoteSend"/>). Starts a readiness wait held back by
    /// <see cref="HoldReadiness"/>. Safe on any thread.
    /// </summary>
    /// <param name="limit">
    /// At most this many bytes for a parked pipe read that has nothing buffered (0: as many as the buffer takes): the
    /// session reads a frame header alone when the body can then go straight into a receive (issue 18, eighth round).
    /// </param>
    public void Poll(int limit)
    {
        Completion complete = default;
        bool release;
        lock (_gate)
        {
            if (_parkKind == ParkKind.None)
            {
                return;
            }

            release = _readinessHeld; // a receive was posted: its message must not wait for the holder to return
            _readinessHeld = false;
            if (!_drained || AnswerMayBeHere())
            {
                PollProbes++;
                complete = TryServeParkedLocked(limit);
            }
        }

        complete.Run();
        if (release && !complete.IsSome)
        {
            ArmReadiness();
        }
    }

    /// <summary>How many times <see cref="Poll"/> tried a receive for a parked read (for tests).</summary>
    internal int PollProbes { get; private set; }

    /// <summary>How many times <see cref="ReadDirectAsync"/> found bytes at once (for tests).</summary>
    internal int DirectReadsAtOnce { get; private set; }

    /// <summary>
    /// This thread is about to send on this connection (called by its writer before each send), which
    /// <see cref="Poll"/> of another connection takes as a sign that bytes may be there (issue 18, seventh round).
    /// </summary>
    public void NoteSend() => t_lastSentOn = this;

    /// <summary>
    /// The next <see cref="ReadAsync"/>, if it has to wait, leaves its readiness wait to <see cref="ReleaseReadiness"/>,
    /// which the caller must then call (issue 18, seventh round). The session's read loop does so when it hands a
    /// message over right after parking: the receiver's continuation (typically its next send) runs before the
    /// readiness wait's zero-byte receive and its probe, not after. Bytes that come meanwhile are found by that probe.
    /// </summary>
    public void HoldReadiness()
    {
        lock (_gate)
        {
            _holdReadiness = true;
        }
    }

    /// <summary>Starts the readiness wait that <see cref="HoldReadiness"/> held back, if a read still waits for it.</summary>
    public void ReleaseReadiness()
    {
        lock (_gate)
        {
            if (!_readinessHeld)
            {
                return;
            }

            _readinessHeld = false;
        }

        ArmReadiness();
    }

    /// <summary>
    /// After a receive that drained the socket, whether bytes may have come since, so that a receive is worth trying
    /// before the readiness wait (which is under way whenever a read is parked) delivers them: only when this thread's
    /// last send went out on another connection, as in one flow playing both ends of a session on one station (the
    /// send put the bytes in this socket before it returned). The answer to a send on this same connection cannot be
    /// here yet (a request and its answer: the peer must wake up first), nor can anything for a receiver that only
    /// receives: trying would cost an EAGAIN <c>recv</c> per posted receive. Consumed by the check that says yes.
    /// </summary>
    private bool AnswerMayBeHere()
    {
        var sentOn = t_lastSentOn;
        if (sentOn is null || sentOn == this)
        {
            return false;
        }

        t_lastSentOn = null;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_gate)
        {
            ThrowIfCompleted();
            int consumedIndex = IndexOf(consumed);
            int examinedIndex = IndexOf(examined);
            if (consumedIndex < _start || consumedIndex > _end || examinedIndex < consumedIndex || examinedIndex > _end)
            {
                throw new InvalidOperationException("The position is outside the bytes returned by the last read.");
            }

            _start = consumedIndex;
            _examined = Math.Max(examinedIndex, _start);
            if (_start == _end)
            {
                ReleaseBufferLocked();
            }
        }
    }

    public override void CancelPendingRead()
    {
        Completion complete = default;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            if (_parkKind == ParkKind.Direct)
            {
                complete = EndDirectLocked(0, new OperationCanceledException());
            }
            else
            {
                _cancelNext = true;
                if (_parkKind == ParkKind.Pipe)
                {
                    complete = TryServeParkedLocked();
                }
            }
        }

        complete.Run();
    }

    /// <summary>Ends the parked read when <paramref name="cancellationToken"/> is cancelled (only a read that has to wait pays for the registration).</summary>
    private void WatchToken(int parkId, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return;
        }

        var registration = cancellationToken.UnsafeRegister(static state => ((TcpSocketPipeReader)state!).CancelParked(), this);
        lock (_gate)
        {
            if (_parkKind != ParkKind.None && _parkId == parkId)
            {
                _parkCancel = registration;
                return;
            }
        }

        registration.Unregister(); // served already
    }

    /// <summary>The token of a parked read was cancelled: it throws <see cref="OperationCanceledException"/>.</summary>
    private void CancelParked()
    {
        Completion complete = default;
        lock (_gate)
        {
            if (_parkKind == ParkKind.Direct)
            {
                complete = EndDirectLocked(0, new OperationCanceledException());
            }
            else if (_parkKind == ParkKind.Pipe)
            {
                complete = EndPipeLocked(default, new OperationCanceledException());
            }
        }

        complete.Run();
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_gate)
        {
            _completed = true;
            ReleaseBufferLocked();
        }
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _parked.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _parked.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _parked.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Whether a read may park without a non-blocking <c>recv</c> of its own: the last receive drained the socket, so a
    /// recv now would most likely only answer EAGAIN, and the readiness wait that the parked read starts probes the
    /// socket itself first (a one-byte peek), so bytes that came meanwhile still complete the read at once (issue 18,
    /// fifth round). Not while a readiness wait is already under way (left by a read that <see cref="Poll"/> served):
    /// no fresh probe would happen then, and the bytes would reach the reader only through epoll and the thread pool.
    /// </summary>
    private bool ReadinessWillProbeLocked => _drained && !_readinessOutstanding;

    /// <summary>Whether a read returns now: a cancel, bytes not yet examined, the end of the stream or a failure.</summary>
    private bool HasResultLocked() => _cancelNext || _end > _examined || _eof || _error is not null;

    /// <summary>
    /// The unconsumed bytes (as a pipe returns them) with the flags, the cancel consumed; or the failure, once the
    /// bytes received before it have all been examined.
    /// </summary>
    private (ReadResult Result, Exception? Failure) TakeResultLocked()
    {
        bool canceled = _cancelNext;
        _cancelNext = false;
        if (!canceled && _error is not null && _end == _examined)
        {
            return (default, _error);
        }

        var buffer = _buffer is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        return (new ReadResult(buffer, canceled, _eof), null);
    }

    /// <summary>
    /// Receives what the kernel holds into the buffer (compacted or grown first when nearly full); at most
    /// <paramref name="limit"/> bytes when that is positive and nothing is buffered (<see cref="Poll"/>).
    /// </summary>
    private Outcome ReceiveLocked(int limit = 0)
    {
        bool limited = limit > 0 && (_buffer is null || _start == _end);
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(_readSize);
            _start = _examined = _end = 0;
        }
        else if (_buffer.Length - _end < MinimumReadSize || (_buffer.Length < _readSize && _buffer.Length - _end < _readSize / 2))
        {
            int held = _end - _start;
            if (_start > 0 && _buffer.Length >= _readSize && _buffer.Length - held >= MinimumReadSize)
            {
                _buffer.AsSpan(_start, held).CopyTo(_buffer);
            }
            else
            {
                int size = _buffer.Length - held >= MinimumReadSize ? _readSize : Math.Max(_buffer.Length * 2, held + MinimumReadSize);
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, held + MinimumReadSize));
                _buffer.AsSpan(_start, held).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            _examined -= _start;
            _end = held;
            _start = 0;
        }

        var destination = _buffer.AsSpan(_end);
        if (limited && limit < destination.Length)
        {
            destination = destination[..limit];
        }

        var (outcome, count) = ReceiveInto(destination);
        if (outcome == Outcome.Data)
        {
            _end += count;
            if (!limited && count == destination.Length && _readSize < MaxReadSize)
            {
                _readSize = Math.Min(_readSize * 2, MaxReadSize); // the kernel may hold more: read more at once next time
            }
        }
        else if (_start == _end)
        {
            ReleaseBufferLocked();
        }

        return outcome;
    }

    /// <summary>One non-blocking receive; sets <see cref="_eof"/> or <see cref="_error"/> as it finds them.</summary>
    private (Outcome Outcome, int Count) ReceiveInto(Span<byte> destination)
    {
        int count;
        SocketError error;
        try
        {
            count = _socket.Receive(destination, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException ex)
        {
            _error = Wrap(ex);
            return (Outcome.Failed, 0);
        }

        if (error == SocketError.Success)
        {
            if (count == 0)
            {
                _eof = true;
                return (Outcome.End, 0);
            }

            _drained = count < destination.Length;
            return (Outcome.Data, count);
        }

        if (error is SocketError.WouldBlock or SocketError.Interrupted)
        {
            _drained = error == SocketError.WouldBlock;
            return (Outcome.WouldBlock, 0);
        }

        _error = Wrap(new SocketException((int)error));
        return (Outcome.Failed, 0);
    }

    /// <summary>Tries to complete the parked read; the completion to run outside the lock, or null when it stays parked.</summary>
    private Completion TryServeParkedLocked(int limit = 0)
    {
        if (_parkKind == ParkKind.Pipe)
        {
            if (!HasResultLocked() && ReceiveLocked(limit) == Outcome.WouldBlock)
            {
                return default;
            }

            var (result, failure) = TakeResultLocked();
            return EndPipeLocked(result, failure);
        }

        if (_parkKind == ParkKind.Direct)
        {
            (Outcome outcome, int count) = _error is not null ? (Outcome.Failed, 0) : _eof ? (Outcome.End, 0) : ReceiveInto(_directDestination.Span);
            if (outcome == Outcome.WouldBlock)
            {
                return default;
            }

            return EndDirectLocked(count, outcome == Outcome.Failed ? _error : null);
        }

        return default;
    }

    /// <summary>Ends the parked pipe read with <paramref name="result"/> or <paramref name="failure"/>; the completion to run outside the lock.</summary>
    private Completion EndPipeLocked(ReadResult result, Exception? failure)
    {
        _parkKind = ParkKind.None;
        _readinessHeld = false;
        var registration = _parkCancel;
        _parkCancel = default;
        return new Completion(this, ParkKind.Pipe, result, 0, failure, registration);
    }

    /// <summary>Ends the parked direct read with <paramref name="count"/> bytes or <paramref name="failure"/>; the completion to run outside the lock.</summary>
    private Completion EndDirectLocked(int count, Exception? failure)
    {
        _parkKind = ParkKind.None;
        _directDestination = default;
        var registration = _parkCancel;
        _parkCancel = default;
        return new Completion(this, ParkKind.Direct, default, count, failure, registration);
    }

    /// <summary>Starts the readiness wait unless one is under way; serves the parked read at once when it completes synchronously.</summary>
    private void ArmReadiness()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_readinessOutstanding || _parkKind == ParkKind.None)
                {
                    return;
                }

                _readinessOutstanding = true;
            }

            ValueTask<int> wait;
            try
            {
                wait = _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                wait = ValueTask.FromException<int>(ex);
            }

            if (!wait.IsCompleted)
            {
                _readiness = wait;
                wait.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReadable);
                return;
            }

            if (!Readable(wait))
            {
                return;
            }
        }
    }

    private void OnReadable()
    {
        var wait = _readiness;
        _readiness = default;
        if (Readable(wait))
        {
            ArmReadiness();
        }
    }

    /// <summary>The readiness wait ended: serves the parked read; true when it is still parked (the wait is to start again).</summary>
    private bool Readable(ValueTask<int> wait)
    {
        Exception? failure = null;
        try
        {
            _ = wait.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            failure = ex;
        }

        Completion complete;
        lock (_gate)
        {
            _readinessOutstanding = false;
            if (failure is not null && _error is null && !_eof)
            {
                _error = Wrap(failure);
            }

            if (_completed || _parkKind == ParkKind.None)
            {
                return false;
            }

            complete = TryServeParkedLocked();
            if (!complete.IsSome)
            {
                return true;
            }
        }

        complete.Run();
        return false;
    }

    private int IndexOf(SequencePosition position)
    {
        if (_buffer is not null && ReferenceEquals(position.GetObject(), _buffer))
        {
            return position.GetInteger() & int.MaxValue;
        }

        return _start == _end ? _start : -1; // a position in the empty sequence

    }

    private void ReleaseBufferLocked()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _start = _examined = _end = 0;
        }
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Reading is not allowed after the reader was completed.");
        }
    }

    private static IOException Wrap(Exception ex) => new("Unable to read data from the transport connection: " + ex.Message, ex);

    /// <summary>The <see cref="IValueTaskSource{TResult}"/> of a parked direct read.</summary>
    private sealed class DirectSource(TcpSocketPipeReader owner) : IValueTaskSource<int>
    {
        public int GetResult(short token) => owner._parkedDirect.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => owner._parkedDirect.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            owner._parkedDirect.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>A parked read's completion, decided under the lock and run outside it (the reader's continuation runs inline).</summary>
    private readonly struct Completion(TcpSocketPipeReader reader, ParkKind kind, ReadResult result, int count, Exception? failure, CancellationTokenRegistration registration)
    {
        /// <summary>Whether there is a completion to run.</summary>
        public bool IsSome => kind != ParkKind.None;

        public void Run()
        {
            registration.Unregister();
            if (kind == ParkKind.Pipe)
            {
                if (failure is null)
                {
                    reader._parked.SetResult(result);
                }
                else
                {
                    reader._parked.SetException(failure);
                }
            }
            else if (kind == ParkKind.Direct)
            {
                if (failure is null)
                {
                    reader._parkedDirect.SetResult(count);
                }
                else
                {
                    reader._parkedDirect.SetException(failure);
                }
            }
        }
    }
}
