using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.NameServer.Storage;
using NetBios.Wire.NameService;
using SQLitePCL;

namespace NetBios.NameServer.Sqlite;

/// <summary>
/// The embedded name server store: one SQLite file in WAL mode, every record also held in an in-memory index so that
/// <see cref="FindAsync"/> completes synchronously without allocating, and every write going through one writer task
/// that commits whatever is queued in one transaction (group commit) before completing the writers.
/// </summary>
/// <remarks>
/// <para>
/// <b>Durability.</b> A write completes only after the transaction holding it committed with
/// <c>synchronous=FULL</c> in WAL mode, i.e. after the WAL was fsynced: the record survives a kill of the process and
/// a crash of the operating system or a power loss (on storage that honours fsync). The window between a registration
/// arriving and its acknowledgement is one group commit: the commit in progress plus the one it joins, typically one or
/// two fsyncs (see docs/WINS-STORAGE.md for measured numbers).
/// </para>
/// <para>
/// <b>Versions.</b> The last version handed out is kept in the <c>meta</c> table and written in the same transaction as
/// the records, so versions never go back across restarts, even when the record holding the highest one was deleted.
/// </para>
/// <para>
/// <b>One process.</b> The file is opened with <c>locking_mode=EXCLUSIVE</c>: while a store has it open, another process
/// (a second server, or <c>nbt wins</c>) gets a one-line "locked" error instead of changing records behind the
/// in-memory index. Sites with several servers use the PostgreSQL store.
/// </para>
/// <para>
/// <b>Corruption.</b> <see cref="OpenAsync"/> runs <c>PRAGMA quick_check</c> (optional) and decodes every row; a file
/// that is not a database, is truncated or corrupt, or holds a row that does not decode fails the open with an
/// <see cref="InvalidDataException"/> whose one-line message names the file (and the row). Nothing is dropped silently.
/// </para>
/// <para>Thread-safety: every member may be called concurrently.</para>
/// </remarks>
public sealed class SqliteWinsStore : IWinsStore
{
    /// <summary>Where a WINS server keeps its database when no path is given: <c>/var/lib/nbt/wins.db</c>.</summary>
    public const string DefaultPath = "/var/lib/nbt/wins.db";

    /// <summary>The schema version this code writes and reads (the <c>meta</c> row <c>schema_version</c>).</summary>
    public const int SchemaVersion = 1;

    private const string UpsertSql =
        "INSERT OR REPLACE INTO records (name, scope, type, state, node_type, is_static, owner, expires, addresses, version) " +
        "VALUES ($name, $scope, $type, $state, $node_type, $is_static, $owner, $expires, $addresses, $version)";

    private const string DeleteSql = "DELETE FROM records WHERE name = $name AND scope = $scope";

    private readonly ConcurrentDictionary<NetBiosName, WinsRecord> _records;
    private readonly Channel<PendingWrite> _queue;
    private readonly SqliteConnection _connection;
    private readonly SqliteWinsStoreOptions _options;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private long _maxVersion;
    private int _disposed;

    private SqliteWinsStore(string path, SqliteConnection connection, ConcurrentDictionary<NetBiosName, WinsRecord> records, long maxVersion, SqliteWinsStoreOptions options, ILogger logger)
    {
        Path = path;
        _connection = connection;
        _records = records;
        _maxVersion = maxVersion;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.MaxQueuedWrites)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriterLoopAsync);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The number of records held (any state).</summary>
    public int Count => _records.Count;

    /// <inheritdoc/>
    public long MaxVersion => Volatile.Read(ref _maxVersion);

    /// <summary>
    /// Opens (or creates) the database at <paramref name="path"/>, checks it, and loads every record into memory.
    /// </summary>
    /// <param name="path">The database file; <see cref="DefaultPath"/> on a server without configuration.</param>
    /// <param name="options">How to open it; null for the defaults.</param>
    /// <param name="timeProvider">Measures the open for the log; null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where the open and failed commits are logged; null for none.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="InvalidDataException">The file is not a WINS database, is corrupt or truncated, or holds a row that does not decode (one line naming the file).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist and <see cref="SqliteWinsStoreOptions.CreateIfMissing"/> is false.</exception>
    /// <exception cref="IOException">The file cannot be opened: permissions, a directory, or locked by another process.</exception>
    public static async Task<SqliteWinsStore> OpenAsync(string path, SqliteWinsStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteWinsStoreOptions();
        options.Validate();
        timeProvider ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        string fullPath = System.IO.Path.GetFullPath(path);

        // Opening reads the whole file; keep it off the caller's thread.
        return await Task.Run(() => Open(fullPath, options, timeProvider, logger, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default) =>
        new(_records.TryGetValue(name, out var record) ? record : null);

    /// <inheritdoc/>
    public ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        return EnqueueAsync(new PendingWrite(record.Name, record, expectedVersion), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        return EnqueueAsync(new PendingWrite(name, null, expectedVersion), cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) =>
        Enumerate(DateTimeOffset.MaxValue, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        Enumerate(due, cancellationToken);

    /// <summary>Commits the writes already queued, stops the writer and closes the file.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private static SqliteWinsStore Open(string path, SqliteWinsStoreOptions options, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        long started = timeProvider.GetTimestamp();
        if (Directory.Exists(path))
        {
            throw new IOException($"{path}: is a directory, not a WINS database file");
        }

        if (File.Exists(path))
        {
            // SQLite takes an empty file for a new database. This store creates its file itself, so an empty one is a
            // truncated database (or a stray file): refuse it rather than start empty over acknowledged records.
            if (new FileInfo(path).Length == 0 && !(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0))
            {
                throw new InvalidDataException($"{path}: empty file (truncated?); restore a backup, or delete the file to start an empty database (docs/WINS-STORAGE.md)");
            }
        }
        else
        {
            if (!options.CreateIfMissing)
            {
                throw new FileNotFoundException($"{path}: no WINS database there", path);
            }

            if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = options.CreateIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            // A pooled connection would keep the exclusive lock after dispose.
            Pooling = false,
            // SQLITE_BUSY is retried for this long: another process holding the file fails the open quickly.
            DefaultTimeout = 1,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA locking_mode=EXCLUSIVE");
            string mode = Scalar(connection, "PRAGMA journal_mode=WAL")?.ToString() ?? string.Empty;
            if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"{path}: cannot switch to WAL journaling (got '{mode}')");
            }

            Execute(connection, options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            long checkStarted = timeProvider.GetTimestamp();
            if (options.IntegrityCheck)
            {
                CheckIntegrity(connection, path);
            }

            long checkMs = (long)timeProvider.GetElapsedTime(checkStarted).TotalMilliseconds;
            cancellationToken.ThrowIfCancellationRequested();
            long maxVersion = EnsureSchema(connection, path);
            var records = Load(connection, path, ref maxVersion, cancellationToken);
            var store = new SqliteWinsStore(path, connection, records, maxVersion, options, logger);
            long elapsedMs = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
            SqliteWinsStoreLog.Opened(logger, path, records.Count, maxVersion, elapsedMs, checkMs);
            return store;
        }
        catch (Exception ex)
        {
            connection.Dispose();
            if (ex is SqliteException sqlite)
            {
                throw Translate(sqlite, path);
            }

            throw;
        }
    }

    private static Exception Translate(SqliteException ex, string path)
    {
        // SQLite primary result codes (the low byte of the extended code).
        string reason = OneLine(ex.Message);
        return (ex.SqliteErrorCode & 0xFF) switch
        {
            11 or 26 => new InvalidDataException($"{path}: corrupt or not a WINS database ({reason}); restore a backup or move the file aside to start empty (docs/WINS-STORAGE.md)", ex),
            5 or 6 => new IOException($"{path}: locked by another process (a running WINS server?)", ex),
            _ => new IOException($"{path}: cannot open ({reason})", ex),
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static void CheckIntegrity(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(1)";
        string result = command.ExecuteScalar()?.ToString() ?? "no result";
        if (!result.Equals("ok", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: corrupt (quick_check: {OneLine(result)}); restore a backup or move the file aside to start empty (docs/WINS-STORAGE.md)");
        }
    }

    /// <summary>Creates the tables in a new file; checks the schema version of an existing one. Returns the last version.</summary>
    private static long EnsureSchema(SqliteConnection connection, string path)
    {
        bool hasMeta = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"), System.Globalization.CultureInfo.InvariantCulture) > 0;
        if (!hasMeta)
        {
            long tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master"), System.Globalization.CultureInfo.InvariantCulture);
            if (tables > 0)
            {
                throw new InvalidDataException($"{path}: an SQLite database, but not a WINS database (no meta table)");
            }

            using var transaction = connection.BeginTransaction();
            Execute(connection, """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE records (
                    name BLOB NOT NULL,
                    scope TEXT NOT NULL,
                    type INTEGER NOT NULL,
                    state INTEGER NOT NULL,
                    node_type INTEGER NOT NULL,
                    is_static INTEGER NOT NULL,
                    owner BLOB NOT NULL,
                    expires INTEGER NOT NULL,
                    addresses BLOB NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (name, scope)) WITHOUT ROWID;
                """, transaction);
            Execute(connection, $"INSERT INTO meta (key, value) VALUES ('schema_version', {SchemaVersion}), ('last_version', 0)", transaction);
            transaction.Commit();
            return 0;
        }

        long? schema = null;
        long? last = null;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT key, value FROM meta";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                switch (reader.GetString(0))
                {
                    case "schema_version":
                        schema = reader.GetInt64(1);
                        break;
                    case "last_version":
                        last = reader.GetInt64(1);
                        break;
                }
            }
        }

        if (schema != SchemaVersion)
        {
            throw new InvalidDataException($"{path}: WINS database schema version {schema?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}, this program reads {SchemaVersion}");
        }

        if (last is not >= 0)
        {
            throw new InvalidDataException($"{path}: the last version counter is missing or negative");
        }

        return last.Value;
    }

    private static ConcurrentDictionary<NetBiosName, WinsRecord> Load(SqliteConnection connection, string path, ref long maxVersion, CancellationToken cancellationToken)
    {
        long rows = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM records"), System.Globalization.CultureInfo.InvariantCulture);
        var records = new ConcurrentDictionary<NetBiosName, WinsRecord>(Environment.ProcessorCount, (int)Math.Min(rows + 1024, int.MaxValue / 2));
        var owners = new Dictionary<UInt128, System.Net.IPAddress>();

        // SQLitePCL's raw API under Microsoft.Data.Sqlite: column_blob is a span over SQLite's own buffer, so a row
        // is decoded without copying its blobs (the ADO.NET readers cost ~5 µs a row here; 1 000 000 rows must open
        // in seconds).
        var db = connection.Handle!;
        int rc = raw.sqlite3_prepare_v2(db, "SELECT name, scope, type, state, node_type, is_static, owner, expires, addresses, version FROM records", out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            long rowsRead = 0;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if ((++rowsRead & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!TryDecodeRow(statement, owners, out var record, out string? error))
                {
                    throw new InvalidDataException($"{path}: record {Describe(statement)} cannot be decoded ({error}); restore a backup, or delete the row with the sqlite3 tool (docs/WINS-STORAGE.md)");
                }

                if (!records.TryAdd(record.Name, record))
                {
                    throw new InvalidDataException($"{path}: record {record.Name} is stored twice");
                }

                // A file written by this code never holds a version above the counter; one restored or edited by hand
                // might, and versions must still only go up.
                maxVersion = Math.Max(maxVersion, record.Version);
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }

        return records;
    }

    private static bool TryDecodeRow(sqlite3_stmt row, Dictionary<UInt128, System.Net.IPAddress> owners, out WinsRecord record, out string? error)
    {
        record = null!;
        if (raw.sqlite3_column_type(row, 0) != raw.SQLITE_BLOB || raw.sqlite3_column_blob(row, 0) is not { Length: NetBiosName.Length } name)
        {
            error = "name is not 16 bytes";
            return false;
        }

        string scope = raw.sqlite3_column_type(row, 1) == raw.SQLITE_NULL ? string.Empty : raw.sqlite3_column_text(row, 1).utf8_to_string();
        if (scope.Length > 0 && NetBiosName.ValidateScope(scope) is { } scopeError)
        {
            error = $"scope: {scopeError}";
            return false;
        }

        long type = raw.sqlite3_column_int64(row, 2);
        long state = raw.sqlite3_column_int64(row, 3);
        long nodeType = raw.sqlite3_column_int64(row, 4);
        if (type is < 0 or > 3)
        {
            error = $"type {type}";
            return false;
        }

        if (state is < 0 or > 2)
        {
            error = $"state {state}";
            return false;
        }

        if (nodeType is < 0 or > 3)
        {
            error = $"node type {nodeType}";
            return false;
        }

        var ownerBytes = raw.sqlite3_column_blob(row, 6);
        if (ownerBytes.Length is not (4 or 16))
        {
            error = $"owner is {ownerBytes.Length} bytes";
            return false;
        }

        var owner = WinsRecordCodec.Intern(ownerBytes, owners);
        if (!WinsRecordCodec.TryTicks(raw.sqlite3_column_int64(row, 7), out var expires))
        {
            error = "expiry out of range";
            return false;
        }

        if (raw.sqlite3_column_type(row, 8) is not (raw.SQLITE_BLOB or raw.SQLITE_NULL))
        {
            error = "address list is not a blob";
            return false;
        }

        if (!WinsRecordCodec.TryDecodeMembers(raw.sqlite3_column_blob(row, 8), owners, out var members, out error))
        {
            return false;
        }

        long version = raw.sqlite3_column_int64(row, 9);
        if (version <= 0)
        {
            error = $"version {version}";
            return false;
        }

        record = new WinsRecord
        {
            Name = NetBiosName.FromBytes(name, scope.Length == 0 ? null : scope),
            Type = (WinsRecordType)type,
            State = (WinsRecordState)state,
            NodeType = (NodeType)nodeType,
            IsStatic = raw.sqlite3_column_int64(row, 5) != 0,
            Owner = owner,
            Expires = expires,
            Addresses = members,
            Version = version,
        };
        return true;
    }

    private static string Describe(sqlite3_stmt row)
    {
        string name = Convert.ToHexString(raw.sqlite3_column_blob(row, 0));
        string scope = raw.sqlite3_column_type(row, 1) == raw.SQLITE_NULL ? string.Empty : raw.sqlite3_column_text(row, 1).utf8_to_string();
        return $"name={name}{(scope.Length > 0 ? "." + scope : string.Empty)}";
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private async ValueTask<WinsWriteResult> EnqueueAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await _queue.Writer.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteWinsStore));
        }

        // Cancelling stops the wait only: a write the writer already took is committed anyway.
        return await write.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<WinsRecord> Enumerate(DateTimeOffset due, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        int seen = 0;
        foreach (var pair in _records)
        {
            if ((++seen & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (pair.Value.Expires <= due)
            {
                yield return pair.Value;
            }
        }
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<PendingWrite>(Math.Min(_options.MaxBatchSize, 4096));
        var pending = new Dictionary<NetBiosName, WinsRecord?>();
        var writer = new BatchCommands(_connection);
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                pending.Clear();
                while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                long next = _maxVersion;
                foreach (var write in batch)
                {
                    var current = pending.TryGetValue(write.Name, out var changed) ? changed : _records.GetValueOrDefault(write.Name);
                    if ((current?.Version ?? 0) != write.ExpectedVersion || (write.Record is null && current is null))
                    {
                        write.Result = new WinsWriteResult(false, current);
                        continue;
                    }

                    var stored = write.Record is null ? null : write.Record with { Version = ++next };
                    pending[write.Name] = stored;
                    write.Result = new WinsWriteResult(true, stored);
                }

                if (pending.Count > 0)
                {
                    try
                    {
                        writer.Commit(pending, next);
                    }
                    catch (Exception ex)
                    {
                        SqliteWinsStoreLog.CommitFailed(_logger, Path, batch.Count, ex);
                        var failure = new IOException($"{Path}: the write was not committed ({OneLine(ex.Message)})", ex);
                        foreach (var write in batch)
                        {
                            write.TrySetException(failure);
                        }

                        continue;
                    }

                    foreach (var (name, record) in pending)
                    {
                        if (record is null)
                        {
                            _records.TryRemove(name, out _);
                        }
                        else
                        {
                            _records[name] = record;
                        }
                    }

                    Volatile.Write(ref _maxVersion, next);
                    SqliteWinsStoreLog.Committed(_logger, Path, pending.Count);
                }

                foreach (var write in batch)
                {
                    write.TrySetResult(write.Result);
                }
            }
        }
        finally
        {
            writer.Dispose();
            // Anything still queued after a fault is failed, never left waiting.
            while (_queue.Reader.TryRead(out var write))
            {
                write.TrySetException(new ObjectDisposedException(nameof(SqliteWinsStore)));
            }
        }
    }

    /// <summary>The prepared statements of the writer task: one transaction per batch.</summary>
    private sealed class BatchCommands : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _upsert;
        private readonly SqliteCommand _delete;
        private readonly SqliteCommand _counter;

        public BatchCommands(SqliteConnection connection)
        {
            _connection = connection;
            _upsert = connection.CreateCommand();
            _upsert.CommandText = UpsertSql;
            foreach (string parameter in (string[])["$name", "$scope", "$type", "$state", "$node_type", "$is_static", "$owner", "$expires", "$addresses", "$version"])
            {
                _upsert.Parameters.Add(new SqliteParameter { ParameterName = parameter });
            }

            _delete = connection.CreateCommand();
            _delete.CommandText = DeleteSql;
            _delete.Parameters.Add(new SqliteParameter { ParameterName = "$name" });
            _delete.Parameters.Add(new SqliteParameter { ParameterName = "$scope" });
            _counter = connection.CreateCommand();
            _counter.CommandText = "UPDATE meta SET value = $value WHERE key = 'last_version'";
            _counter.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
        }

        public void Commit(Dictionary<NetBiosName, WinsRecord?> changes, long lastVersion)
        {
            using var transaction = _connection.BeginTransaction();
            _upsert.Transaction = transaction;
            _delete.Transaction = transaction;
            _counter.Transaction = transaction;
            foreach (var (name, record) in changes)
            {
                if (record is null)
                {
                    _delete.Parameters[0].Value = name.ToArray();
                    _delete.Parameters[1].Value = name.Scope;
                    _delete.ExecuteNonQuery();
                    continue;
                }

                var p = _upsert.Parameters;
                p[0].Value = name.ToArray();
                p[1].Value = name.Scope;
                p[2].Value = (long)record.Type;
                p[3].Value = (long)record.State;
                p[4].Value = (long)record.NodeType;
                p[5].Value = record.IsStatic ? 1L : 0L;
                p[6].Value = WinsRecordCodec.EncodeAddress(record.Owner);
                p[7].Value = record.Expires.UtcTicks;
                p[8].Value = WinsRecordCodec.EncodeMembers(record.Addresses);
                p[9].Value = record.Version;
                _upsert.ExecuteNonQuery();
            }

            _counter.Parameters[0].Value = lastVersion;
            _counter.ExecuteNonQuery();
            transaction.Commit();
        }

        public void Dispose()
        {
            _upsert.Dispose();
            _delete.Dispose();
            _counter.Dispose();
        }
    }

    /// <summary>One queued write or delete and its waiter.</summary>
    private sealed class PendingWrite(NetBiosName name, WinsRecord? record, long expectedVersion)
        : TaskCompletionSource<WinsWriteResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public NetBiosName Name { get; } = name;

        public WinsRecord? Record { get; } = record;

        public long ExpectedVersion { get; } = expectedVersion;

        public WinsWriteResult Result { get; set; }
    }
}
