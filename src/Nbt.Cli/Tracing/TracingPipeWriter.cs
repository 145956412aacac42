using System.IO.Pipelines;

namespace Nbt.Cli.Tracing;

/// <summary>
/// A pipe writer that hands every byte the session layer writes to a <see cref="NbssTraceFollower"/> as it is
/// committed (<see cref="Advance"/>, <see cref="WriteAsync"/>), before it is flushed.
/// </summary>
internal sealed class TracingPipeWriter(PipeWriter inner, NbssTraceFollower follower) : PipeWriter
{
    private Memory<byte> _last;

    /// <inheritdoc/>
    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    /// <inheritdoc/>
    public override long UnflushedBytes => inner.UnflushedBytes;

    /// <inheritdoc/>
    public override void Advance(int bytes)
    {
        if (bytes > 0 && bytes <= _last.Length)
        {
            follower.Feed(_last.Span[..bytes]);
        }

        _last = default;
        inner.Advance(bytes);
    }

    /// <inheritdoc/>
    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <inheritdoc/>
    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <inheritdoc/>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        _last = inner.GetMemory(sizeHint);
        return _last;
    }

    /// <inheritdoc/>
    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <inheritdoc/>
    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        follower.Feed(source.Span);
        return inner.WriteAsync(source, cancellationToken);
    }
}
