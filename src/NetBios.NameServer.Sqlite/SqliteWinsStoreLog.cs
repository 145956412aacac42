using Microsoft.Extensions.Logging;

namespace NetBios.NameServer.Sqlite;

/// <summary>Log messages of the SQLite WINS store. Event IDs 1700–1749 are reserved for it.</summary>
internal static partial class SqliteWinsStoreLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "WINS database {Path} opened: {Count} records, last version {MaxVersion}, in {ElapsedMs} ms (integrity check {CheckMs} ms)")]
    public static partial void Opened(ILogger logger, string path, int count, long maxVersion, long elapsedMs, long checkMs);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Error, Message = "WINS database {Path}: a commit of {Count} writes failed; they were not acknowledged")]
    public static partial void CommitFailed(ILogger logger, string path, int count, Exception exception);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Debug, Message = "WINS database {Path}: committed {Count} writes")]
    public static partial void Committed(ILogger logger, string path, int count);
}
