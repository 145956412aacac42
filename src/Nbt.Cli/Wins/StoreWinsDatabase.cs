using NetBios;
using NetBios.NameServer;

namespace Nbt.Cli.Wins;

/// <summary>A WINS database opened by this process (<c>--database</c>, <c>--database-url</c>, or the default SQLite
/// file when no nbtd serves one). A running server holds its SQLite file exclusively: opening it here then fails
/// with "locked" (docs/WINS-STORAGE.md).</summary>
/// <param name="store">The store (disposed with this).</param>
internal sealed class StoreWinsDatabase(IWinsStore store) : IWinsDatabase
{
    /// <inheritdoc/>
    public async Task<(IReadOnlyList<WinsRecord> Records, long MaxVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<WinsRecord>();
        await foreach (var record in store.EnumerateAsync(cancellationToken))
        {
            records.Add(record);
        }

        records.Sort(static (a, b) => NetBiosName.CompareOrdinal(a.Name, b.Name));
        return (records, store.MaxVersion);
    }

    /// <inheritdoc/>
    public async Task<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken) => await store.FindAsync(name, cancellationToken);

    /// <inheritdoc/>
    public async Task<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken) =>
        await store.DeleteAsync(name, expectedVersion, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => store.DisposeAsync();
}
