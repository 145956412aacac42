using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>
/// The base of the tests' misbehaving stores: everything goes to an <see cref="InMemoryWinsStore"/>, and a store
/// overrides only the operation it makes slow, racing or failing.
/// </summary>
internal abstract class DelegatingWinsStore : IWinsStore
{
    protected InMemoryWinsStore Inner { get; } = new();

    public long MaxVersion => Inner.MaxVersion;

    public virtual ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default) => Inner.FindAsync(name, cancellationToken);

    public virtual ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default) =>
        Inner.WriteAsync(record, expectedVersion, cancellationToken);

    public virtual ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(name, expectedVersion, cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) => Inner.EnumerateAsync(cancellationToken);

    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        Inner.EnumerateDueAsync(due, cancellationToken);

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}
