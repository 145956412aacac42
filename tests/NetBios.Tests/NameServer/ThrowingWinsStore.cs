using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>A store whose writes fail (a database that went away).</summary>
internal sealed class ThrowingWinsStore : IWinsStore
{
    private readonly InMemoryWinsStore _inner = new();

    public long MaxVersion => _inner.MaxVersion;

    public ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default) => _inner.FindAsync(name, cancellationToken);

    public ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<WinsWriteResult>(new IOException("disk gone"));

    public ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<WinsWriteResult>(new IOException("disk gone"));

    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) => _inner.EnumerateAsync(cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        _inner.EnumerateDueAsync(due, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
