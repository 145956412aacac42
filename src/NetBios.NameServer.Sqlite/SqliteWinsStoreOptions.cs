namespace NetBios.NameServer.Sqlite;

/// <summary>How <see cref="SqliteWinsStore.OpenAsync"/> opens the database file.</summary>
public sealed class SqliteWinsStoreOptions
{
    /// <summary>
    /// Create the file (and its directory) when it does not exist. Defaults to true; the <c>nbt wins</c> commands
    /// open with false so that a mistyped path is an error rather than a new, empty database.
    /// </summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>
    /// Run <c>PRAGMA quick_check</c> at open, so that a corrupt file fails the open (naming the file) instead of
    /// failing later on the query path. Defaults to true. It reads every page once (see docs/WINS-STORAGE.md for its
    /// cost at 1 000 000 records).
    /// </summary>
    public bool IntegrityCheck { get; set; } = true;

    /// <summary>
    /// The most writes committed in one transaction (group commit): the writer takes whatever is queued, up to this
    /// many, and completes them all after one fsync. Defaults to 1024; 1 disables grouping.
    /// </summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>The most writes waiting for the writer; further writers wait for room. Defaults to 65 536.</summary>
    public int MaxQueuedWrites { get; set; } = 65_536;

    /// <summary>
    /// SQLite's <c>synchronous</c> setting. Defaults to <see cref="SqliteSynchronousMode.Full"/>: a completed write
    /// survives a process kill and an operating-system crash or power loss. <see cref="SqliteSynchronousMode.Normal"/>
    /// survives a process kill only (the last commits may be lost with the OS); for tests and benchmarks.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedWrites, 1, nameof(MaxQueuedWrites));
        if (!Enum.IsDefined(Synchronous))
        {
            throw new ArgumentOutOfRangeException(nameof(Synchronous), Synchronous, "not a synchronous mode");
        }
    }
}
