using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>An in-memory store whose writes wait until the test releases them (a slow, durable disk).</summary>
internal sealed class GatedWinsStore : IWinsStore
{
    private readonly InMemoryWinsStore _inner = new();

    public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long MaxVersion => _inner.MaxVersion;

    public ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default) => _inner.FindAsync(name, cancellationToken);

    public async ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        WriteStarted.TrySetResult();
        await Release.Task.WaitAsync(cancellationToken);
        return await _inner.WriteAsync(record, expectedVersion, cancellationToken);
    }

    public ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default) =>
        _inner.DeleteAsync(name, expectedVersion, cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) => _inner.EnumerateAsync(cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        _inner.EnumerateDueAsync(due, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
