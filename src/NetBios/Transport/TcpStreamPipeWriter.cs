using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetBios.Transport;

/// <summary>
/// The output of a <see cref="TcpStreamConnection"/>: a <see cref="PipeWriter"/> straight over the socket (as Kestrel's
/// socket transport has), one contiguous buffer rented per flush and returned once it is sent.
/// </summary>
/// <remarks>
/// <para>
/// Against <see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions?)"/> over a <see cref="NetworkStream"/> (issue 18):
/// an idle connection holds no buffer (the stream writer kept its last 4 KiB segment: most of an idle session's
/// memory), a frame of any size leaves in one send, and a send that completes at once (the usual case) allocates
/// nothing; one that waits uses a pooled state machine.
/// </para>
/// <para>
/// Errors follow <see cref="NetworkStream"/>: a reset, or a socket closed by <see cref="TcpStreamConnection.Abort"/>,
/// fails the flush with <see cref="IOException"/>; a cancelled flush throws <see cref="OperationCanceledException"/>
/// (the bytes may be partly sent). Writing after <see cref="Complete"/> throws <see cref="InvalidOperationException"/>.
/// <see cref="CancelPendingFlush"/> is not supported (no engine uses it): a flush is cancelled through its token or by
/// aborting the connection. One writer at a time (the pipe rules).
/// </para>
/// </remarks>
/// <param name="socket">The connection's socket (non-blocking).</param>
/// <param name="input">The connection's reader, told of each send (<see cref="TcpSocketPipeReader.NoteSend"/>).</param>
internal sealed class TcpStreamPipeWriter(Socket socket, TcpSocketPipeReader input) : PipeWriter
{
    /// <summary>The smallest buffer rented: a whole small frame, and the pool's most common size.</summary>
    private const int MinimumBufferSize = 4096;

    private byte[]? _buffer;
    private int _written;
    private int _flushing;
    private int _completed;

    /// <summary>Tests: the sends made to the socket (one per flush or gathered frame).</summary>
    internal int Sends { get; private set; }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written;

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ThrowIfCompleted();
        if (_buffer is null ? bytes != 0 : bytes > _buffer.Length - _written)
        {
            throw new InvalidOperationException("Advanced past the memory returned by GetMemory or GetSpan.");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    public override void CancelPendingFlush()
    {
        // Not supported (see the remarks).
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (_written == 0)
        {
            return new ValueTask<FlushResult>(default(FlushResult));
        }

        Volatile.Write(ref _flushing, 1);
        input.NoteSend();
        Sends++;
        ValueTask<int> send;
        try
        {
            send = socket.SendAsync(_buffer.AsMemory(0, _written), SocketFlags.None, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            EndFlush();
            throw Wrap(ex);
        }

        if (send.IsCompletedSuccessfully)
        {
            _ = send.Result;
            EndFlush();
            return new ValueTask<FlushResult>(default(FlushResult));
        }

        return AwaitSendAsync(send);
    }

    /// <summary>
    /// Writes one frame made of three parts, sending it with a single non-blocking sendmsg(2) straight from the callers'
    /// memory, after what is held (<see cref="TryHold"/>) in the same call, when no flush is under way (issue 18, fourth
    /// round: no copy into a rented frame, no rent); what the socket does not take at once stays in, or is copied into,
    /// the buffer for <see cref="FlushAsync"/>.
    /// </summary>
    /// <returns>True when all of it was sent (nothing to flush); false when some is buffered and must be flushed.</returns>
    /// <exception cref="IOException">The connection was reset or aborted.</exception>
    public bool WriteGathered(ReadOnlySpan<byte> header, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        ThrowIfCompleted();
        int total = header.Length + first.Length + second.Length;
        int sent = 0;
        if (Volatile.Read(ref _flushing) == 0 && LinuxUdp.IsSupported)
        {
            input.NoteSend();
            Sends++;
            int held = _written;
            sent = SendMessage(_buffer.AsSpan(0, held), header, first, second);
            if (sent < held)
            {
                // The socket took part of what was held at most: the rest moves to the front, the frame joins it.
                _buffer.AsSpan(sent, held - sent).CopyTo(_buffer);
                _written = held - sent;
                sent = 0;
            }
            else
            {
                sent -= held;
                if (held != 0)
                {
                    Release();
                }

                if (sent == total)
                {
                    return true;
                }
            }
        }

        var rest = GetSpan(total - sent);
        int at = CopyUnsent(header, ref sent, rest, 0);
        at = CopyUnsent(first, ref sent, rest, at);
        at = CopyUnsent(second, ref sent, rest, at);
        Advance(at);
        return false;
    }

    /// <summary>
    /// Holds one frame made of three parts back in the buffer, to leave with the next send or <see cref="FlushAsync"/>,
    /// when the buffer then holds at most <paramref name="limit"/> bytes and no flush is under way (issue 18: a sender
    /// that streams small messages gets several per send).
    /// </summary>
    /// <returns>True when the frame is held; false when nothing was written (send it).</returns>
    public bool TryHold(ReadOnlySpan<byte> header, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int limit)
    {
        ThrowIfCompleted();
        int total = header.Length + first.Length + second.Length;
        if (_written + total > limit || Volatile.Read(ref _flushing) != 0)
        {
            return false;
        }

        // The first frame held rents room for all that may follow, so that the buffer never grows by copying.
        var rest = Reserve(_written == 0 ? limit : total).AsSpan(_written);
        header.CopyTo(rest);
        first.CopyTo(rest[header.Length..]);
        second.CopyTo(rest[(header.Length + first.Length)..]);
        _written += total;
        return true;
    }

    /// <summary>Copies what <paramref name="sent"/> leaves of <paramref name="part"/> to <paramref name="destination"/> at <paramref name="at"/>; the new end.</summary>
    private static int CopyUnsent(ReadOnlySpan<byte> part, ref int sent, Span<byte> destination, int at)
    {
        int skip = Math.Min(sent, part.Length);
        sent -= skip;
        part[skip..].CopyTo(destination[at..]);
        return at + part.Length - skip;
    }

    /// <summary>One non-blocking sendmsg of the four parts (the held bytes, the frame's three); the byte count taken (0 when the socket buffer is full).</summary>
    private unsafe int SendMessage(ReadOnlySpan<byte> held, ReadOnlySpan<byte> header, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        nint result;
        int errno;
        try
        {
            fixed (byte* p = held)
            fixed (byte* h = header)
            fixed (byte* a = first)
            fixed (byte* b = second)
            {
                var vectors = stackalloc LinuxUdp.IoVector[4];
                vectors[0] = new LinuxUdp.IoVector { Base = p, Length = (nuint)held.Length };
                vectors[1] = new LinuxUdp.IoVector { Base = h, Length = (nuint)header.Length };
                vectors[2] = new LinuxUdp.IoVector { Base = a, Length = (nuint)first.Length };
                vectors[3] = new LinuxUdp.IoVector { Base = b, Length = (nuint)second.Length };
                var message = new LinuxUdp.MessageHeader { Vectors = vectors, VectorCount = 4 };
                result = LinuxUdp.SendMessage(socket.SafeHandle, &message, LinuxUdp.DontWait | LinuxUdp.NoSignal);
                errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
        }
        catch (ObjectDisposedException ex)
        {
            throw Wrap(ex);
        }

        if (result >= 0)
        {
            return (int)result;
        }

        if (errno is LinuxUdp.EAgain or LinuxUdp.EIntr)
        {
            return 0;
        }

        throw Wrap(new SocketException((int)LinuxUdp.ToSocketError(errno)));
    }

    public override void Complete(Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        if (exception is null && _written > 0 && Volatile.Read(ref _flushing) == 0)
        {
            try
            {
                // Best effort: the socket is non-blocking (TcpStreamConnection), so this sends what fits in the socket
                // buffer and never waits; CompleteAsync, which the engines use, flushes everything first.
                _ = socket.Send(_buffer.AsSpan(0, _written));
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The peer is gone or the connection was aborted: nothing to flush to.
            }
        }

        if (Volatile.Read(ref _flushing) == 0)
        {
            Release(); // else the flush in progress returns the buffer when it ends
        }
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (exception is null && _written > 0 && Volatile.Read(ref _completed) == 0 && Volatile.Read(ref _flushing) == 0)
        {
            try
            {
                await FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // As Complete: nothing left to flush to.
            }
        }

        Complete(exception);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> AwaitSendAsync(ValueTask<int> send)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw Wrap(ex);
        }
        finally
        {
            EndFlush();
        }

        return default;
    }

    /// <summary>The flush is over: its buffer goes back to the pool (the next write rents one again).</summary>
    private void EndFlush()
    {
        Release();
        Volatile.Write(ref _flushing, 0);
    }

    private void Release()
    {
        _written = 0;
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A buffer with at least <paramref name="sizeHint"/> bytes (1 when 0) free after what is written.</summary>
    private byte[] Reserve(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        ThrowIfCompleted();
        int needed = Math.Max(sizeHint, 1);
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(needed, MinimumBufferSize));
        }
        else if (_buffer.Length - _written < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_written + needed);
            _buffer.AsSpan(0, _written).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer;
    }

    private void ThrowIfCompleted()
    {
        if (Volatile.Read(ref _completed) != 0)
        {
            throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
        }
    }

    private static IOException Wrap(Exception ex) => new("Unable to write data to the transport connection: " + ex.Message, ex);
}
