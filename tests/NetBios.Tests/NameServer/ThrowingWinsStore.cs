using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>A store whose writes fail (a database that went away).</summary>
internal sealed class ThrowingWinsStore : DelegatingWinsStore
{
    public override ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<WinsWriteResult>(new IOException("disk gone"));

    public override ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<WinsWriteResult>(new IOException("disk gone"));
}
