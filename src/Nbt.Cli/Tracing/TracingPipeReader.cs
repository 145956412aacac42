using System.Buffers;
using System.IO.Pipelines;

namespace Nbt.Cli.Tracing;

/// <summary>
/// A pipe reader that hands the bytes the session layer consumes to a <see cref="NbssTraceFollower"/>: what
/// <see cref="AdvanceTo(SequencePosition, SequencePosition)"/> marks consumed is the next part of the stream, seen
/// exactly once however often it was examined before.
/// </summary>
internal sealed class TracingPipeReader(PipeReader inner, NbssTraceFollower follower) : PipeReader
{
    private ReadOnlySequence<byte> _last;

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_last.IsEmpty)
        {
            follower.Feed(_last.Slice(_last.Start, consumed));
            _last = default;
        }

        inner.AdvanceTo(consumed, examined);
    }

    /// <inheritdoc/>
    public override void CancelPendingRead() => inner.CancelPendingRead();

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <inheritdoc/>
    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <inheritdoc/>
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    /// <inheritdoc/>
    public override bool TryRead(out ReadResult result)
    {
        bool read = inner.TryRead(out result);
        _last = read ? result.Buffer : default;
        return read;
    }
}
