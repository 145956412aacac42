using Microsoft.Extensions.Logging;

namespace NetBios.NameServer.PostgreSql;

/// <summary>Log messages of the PostgreSQL WINS store. Event IDs 1750–1799 are reserved for it.</summary>
internal static partial class PostgreSqlWinsStoreLog
{
    [LoggerMessage(EventId = 1750, Level = LogLevel.Information, Message = "WINS database {Database} (schema {Schema}) opened: last version {MaxVersion}")]
    public static partial void Opened(ILogger logger, string database, string schema, long maxVersion);
}
