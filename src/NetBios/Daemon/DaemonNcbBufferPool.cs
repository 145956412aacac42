namespace NetBios.Daemon;

/// <summary>
/// The daemon's reusable NCB buffers (docs/IPC.md "NCB SUBMIT", "Benchmark"): arrays of exactly the size an NCB asks
/// for (a buffer's length is the client's capacity, so that NRC_BUFLEN stays as embedded: a pool of rounded-up sizes
/// would not do), kept per size and bounded in total bytes and in the number of sizes.
/// </summary>
/// <remarks>
/// Only the caller decides what may come back: a buffer goes back only once nothing can read or write it any more (the
/// daemon returns the session SEND and RECEIVE buffers of NCBs that completed with their own result, never a cancelled
/// or failed one, whose transfer might still touch it). A buffer that will be received into is cleared when rented, so
/// that no byte of an earlier user can reach a client whatever the command writes; a buffer the client's bytes fill
/// is cleared only beyond them.
/// </remarks>
internal sealed class DaemonNcbBufferPool
{
    /// <summary>Buffers smaller than this are allocated (the pool's lock costs more than the allocation).</summary>
    public const int MinimumPooledLength = 1024;

    private const int MaximumSizes = 8;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, Stack<byte[]>> _free = [];
    private readonly long _maximumBytes;
    private long _pooledBytes;

    /// <summary>Creates a pool.</summary>
    /// <param name="maximumBytes">The most bytes kept for reuse; returns beyond them are dropped.</param>
    public DaemonNcbBufferPool(long maximumBytes) => _maximumBytes = maximumBytes;

    /// <summary>The bytes kept for reuse now.</summary>
    public long PooledBytes
    {
        get
        {
            lock (_lock)
            {
                return _pooledBytes;
            }
        }
    }

    /// <summary>A buffer of exactly <paramref name="length"/> bytes whose first <paramref name="filled"/> bytes the
    /// caller overwrites at once: every byte after them is zero.</summary>
    /// <param name="length">The length (0–65535).</param>
    /// <param name="filled">How many leading bytes the caller fills (0 for a receive's buffer: all of it is zero).</param>
    /// <param name="pooled">True when the buffer came from the pool or may go to it (the caller returns it then).</param>
    public byte[] Rent(int length, int filled, out bool pooled)
    {
        pooled = length >= MinimumPooledLength;
        if (pooled)
        {
            byte[]? reused = null;
            lock (_lock)
            {
                if (_free.TryGetValue(length, out var stack) && stack.TryPop(out reused))
                {
                    _pooledBytes -= length;
                }
            }

            if (reused is not null)
            {
                reused.AsSpan(filled).Clear();
                return reused;
            }
        }

        return filled == length ? GC.AllocateUninitializedArray<byte>(length) : new byte[length];
    }

    /// <summary>Keeps <paramref name="buffer"/> for reuse (or drops it past the bounds). The caller must hold no other
    /// reference to it that is used again, nor may anything still read or write it.</summary>
    /// <param name="buffer">A buffer <see cref="Rent"/> marked pooled.</param>
    public void Return(byte[] buffer)
    {
        int length = buffer.Length;
        if (length < MinimumPooledLength)
        {
            return;
        }

        lock (_lock)
        {
            if (_pooledBytes + length > _maximumBytes)
            {
                return;
            }

            if (!_free.TryGetValue(length, out var stack))
            {
                if (_free.Count >= MaximumSizes)
                {
                    // Drop an empty size to make room; a pool whose sizes all hold buffers keeps them.
                    int? empty = null;
                    foreach (var (size, entries) in _free)
                    {
                        if (entries.Count == 0)
                        {
                            empty = size;
                            break;
                        }
                    }

                    if (empty is not { } drop)
                    {
                        return;
                    }

                    _free.Remove(drop);
                }

                stack = new Stack<byte[]>();
                _free[length] = stack;
            }

            stack.Push(buffer);
            _pooledBytes += length;
        }
    }
}
