using System.IO.Pipelines;

namespace NetBios.Testing;

/// <summary>One end's writer of an in-memory connection: a <see cref="Pipe"/> writer whose flushes fail with
/// <see cref="IOException"/> once the connection is aborted.</summary>
internal sealed class InMemoryPipeWriter(PipeWriter inner, InMemoryConnectionState state, int side) : PipeWriter
{
    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        state.ThrowIfAborted(side);
        FlushResult result = await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            state.ThrowIfAborted(side);
        }

        return result;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
}
