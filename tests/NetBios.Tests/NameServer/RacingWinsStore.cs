using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>An in-memory store where another server writes <see cref="Competitor"/> just before our first write (the
/// version check then fails, as with two servers on one PostgreSQL database).</summary>
internal sealed class RacingWinsStore : IWinsStore
{
    private readonly InMemoryWinsStore _inner = new();
    private int _raced;

    public WinsRecord? Competitor { get; set; }

    public long MaxVersion => _inner.MaxVersion;

    public ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default) => _inner.FindAsync(name, cancellationToken);

    public async ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        if (Competitor is { } competitor && Interlocked.Exchange(ref _raced, 1) == 0)
        {
            var current = await _inner.FindAsync(competitor.Name, cancellationToken);
            await _inner.WriteAsync(competitor, current?.Version ?? 0, cancellationToken);
        }

        return await _inner.WriteAsync(record, expectedVersion, cancellationToken);
    }

    public ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default) =>
        _inner.DeleteAsync(name, expectedVersion, cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) => _inner.EnumerateAsync(cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        _inner.EnumerateDueAsync(due, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
