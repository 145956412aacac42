using System.IO.Pipelines;

namespace NetBios.Testing;

/// <summary>One end's reader of an in-memory connection: a <see cref="Pipe"/> reader that fails with
/// <see cref="IOException"/> once the connection is aborted.</summary>
internal sealed class InMemoryPipeReader(PipeReader inner, InMemoryConnectionState state, int side) : PipeReader
{
    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        state.ThrowIfAborted(side);
        ReadResult result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            state.ThrowIfAborted(side);
        }

        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        state.ThrowIfAborted(side);
        return inner.TryRead(out result);
    }
}
