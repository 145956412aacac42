namespace NetBios.NameServer;

/// <summary>
/// Where a name server keeps its records: in memory (<see cref="InMemoryWinsStore"/>), an embedded SQLite file, or a
/// PostgreSQL database shared by several servers. The server's semantics sit above this interface and are the same
/// over every store.
/// </summary>
/// <remarks>
/// <para>
/// <b>Durability.</b> <see cref="WriteAsync"/> and <see cref="DeleteAsync"/> complete only once the change survives a
/// crash of the process (a store may batch concurrent writes into one commit). A server acknowledges a registration on
/// the wire only after its write completed.
/// </para>
/// <para>
/// <b>Concurrency.</b> Every write carries the version the caller read (0: the name must be absent). A store applies it
/// only if the record still has that version, otherwise it returns the current record and writes nothing; so servers
/// sharing one database never overwrite each other's decisions (optimistic concurrency). Versions are assigned by the
/// store, strictly increasing over all its writes, across restarts.
/// </para>
/// <para>
/// <b>Reads.</b> <see cref="FindAsync"/> is on the query path: a store that keeps its records in memory completes it
/// synchronously (the caller checks <see cref="ValueTask{TResult}.IsCompletedSuccessfully"/> and stays allocation-free).
/// </para>
/// </remarks>
public interface IWinsStore : IAsyncDisposable
{
    /// <summary>The record for a name (any state), or null.</summary>
    /// <param name="name">The name with its suffix and scope.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null when the name is absent.</returns>
    ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default);

    /// <summary>Writes a record (insert or replace) if the stored one still has <paramref name="expectedVersion"/>.</summary>
    /// <param name="record">The record to store; its <see cref="WinsRecord.Version"/> is ignored and assigned anew.</param>
    /// <param name="expectedVersion">The version the caller read, or 0 when it read no record.</param>
    /// <param name="cancellationToken">
    /// Cancels waiting; a write already committed stays committed, so after a cancellation the caller cannot tell
    /// whether it was written: read the record again before deciding anything from it.
    /// </param>
    /// <returns>The stored record, or the current one when the version check failed.</returns>
    ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes a record if it still has <paramref name="expectedVersion"/> (the scavenger, or an administrator).</summary>
    /// <param name="name">The name.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Success with a null record, or the current record when the version check failed (null if already absent).</returns>
    ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Every record, in no particular order (listing, and the scavenger's sweep).</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default);

    /// <summary>The records whose <see cref="WinsRecord.Expires"/> is at or before <paramref name="due"/> (the scavenger).</summary>
    /// <param name="due">The cut-off time.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records due.</returns>
    IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest version this store has written or read so far (0 for an empty, new store). On a database shared by
    /// several servers it is what this server has seen, not necessarily the highest in the database.
    /// </summary>
    long MaxVersion { get; }
}
