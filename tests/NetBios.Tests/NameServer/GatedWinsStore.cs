using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>An in-memory store whose writes wait until the test releases them (a slow, durable disk).</summary>
internal sealed class GatedWinsStore : DelegatingWinsStore
{
    public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        WriteStarted.TrySetResult();
        await Release.Task.WaitAsync(cancellationToken);
        return await Inner.WriteAsync(record, expectedVersion, cancellationToken);
    }
}
