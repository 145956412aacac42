using NetBios.NameServer;

namespace NetBios.Tests.NameServer;

/// <summary>An in-memory store where another server writes <see cref="Competitor"/> just before our first write (the
/// version check then fails, as with two servers on one PostgreSQL database).</summary>
internal sealed class RacingWinsStore : DelegatingWinsStore
{
    private int _raced;

    public WinsRecord? Competitor { get; set; }

    public override async ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        if (Competitor is { } competitor && Interlocked.Exchange(ref _raced, 1) == 0)
        {
            var current = await Inner.FindAsync(competitor.Name, cancellationToken);
            await Inner.WriteAsync(competitor, current?.Version ?? 0, cancellationToken);
        }

        return await Inner.WriteAsync(record, expectedVersion, cancellationToken);
    }
}
