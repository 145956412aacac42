using System.Buffers;

namespace NetBios.Daemon;

/// <summary>
/// The messages a daemon connection writes while a flush waits for a client that does not read (docs/IPC.md
/// "Benchmark"): an <see cref="IBufferWriter{T}"/> over an array rented from <see cref="ArrayPool{T}.Shared"/>, grown by
/// renting a larger one, and given back by <see cref="Release"/> when the burst ends, so that a pipelined client's bursts
/// allocate nothing (an <see cref="ArrayBufferWriter{T}"/> per burst cost ~100 KB per 64 KiB message). Only the
/// written bytes are ever read from it: a rented array's older contents never leave it. Used under the connection's
/// write lock.
/// </summary>
internal sealed class DaemonOutputBacklog : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _written;

    /// <summary>Rents room for at least <paramref name="capacity"/> bytes.</summary>
    /// <param name="capacity">The first message's length.</param>
    public DaemonOutputBacklog(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 4096));

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>How many bytes are written.</summary>
    public int WrittenCount => _written;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets the written bytes (they were handed on), keeping the array.</summary>
    public void Clear() => _written = 0;

    /// <summary>Gives the array back; the backlog is not used after this.</summary>
    public void Release()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_written + needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
