using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>An in-memory store whose reads complete asynchronously, as a database's do.</summary>
internal sealed class AsyncReadWinsStore : IWinsStore
{
    private readonly InMemoryWinsStore _inner = new();

    public int Reads;

    public long MaxVersion => _inner.MaxVersion;

    public async ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Reads);
        await Task.Yield();
        return await _inner.FindAsync(name, cancellationToken);
    }

    public ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(record, expectedVersion, cancellationToken);

    public ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default) =>
        _inner.DeleteAsync(name, expectedVersion, cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) => _inner.EnumerateAsync(cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        _inner.EnumerateDueAsync(due, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
