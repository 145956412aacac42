using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>An in-memory store whose reads complete asynchronously, as a database's do.</summary>
internal sealed class AsyncReadWinsStore : DelegatingWinsStore
{
    public int Reads;

    public override async ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Reads);
        await Task.Yield();
        return await Inner.FindAsync(name, cancellationToken);
    }
}
