using System.IO.Pipelines;

namespace NetBios.Testing;

/// <summary>
/// Abort state shared by the two ends of an in-memory connection. Once either end aborts, both ends' pipe operations
/// fail with <see cref="IOException"/>, as a TCP reset makes them fail.
/// </summary>
internal sealed class InMemoryConnectionState
{
    private readonly Pipe _aToB = new();
    private readonly Pipe _bToA = new();
    private int _abortedBy = -1;

    public Pipe AToB => _aToB;

    public Pipe BToA => _bToA;

    public bool IsAborted => Volatile.Read(ref _abortedBy) >= 0;

    /// <summary>Marks the connection aborted by <paramref name="side"/> (0 = A, 1 = B) and wakes every pending read and flush.</summary>
    public void Abort(int side)
    {
        if (Interlocked.CompareExchange(ref _abortedBy, side, -1) != -1)
        {
            return;
        }

        _aToB.Reader.CancelPendingRead();
        _bToA.Reader.CancelPendingRead();
        _aToB.Writer.CancelPendingFlush();
        _bToA.Writer.CancelPendingFlush();
    }

    /// <summary>Throws the reset exception as <paramref name="side"/> sees it, if the connection was aborted.</summary>
    public void ThrowIfAborted(int side)
    {
        int abortedBy = Volatile.Read(ref _abortedBy);
        if (abortedBy < 0)
        {
            return;
        }

        throw abortedBy == side
            ? new IOException("The connection was aborted by this side.")
            : new IOException("The connection was reset by the peer.");
    }
}
