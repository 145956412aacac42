namespace NetBios.NameServer.Sqlite;

/// <summary>SQLite's <c>PRAGMA synchronous</c> in WAL mode: when a commit is flushed to stable storage.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>The WAL is fsynced at every commit: durable across a process kill and an OS crash or power loss.</summary>
    Full = 0,

    /// <summary>The WAL is fsynced at checkpoints only: durable across a process kill, not across an OS crash.</summary>
    Normal = 1,
}
