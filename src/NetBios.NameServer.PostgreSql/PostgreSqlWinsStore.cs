using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.NameServer.PostgreSql.Storage;
using NetBios.Wire.NameService;
using Npgsql;
using NpgsqlTypes;

namespace NetBios.NameServer.PostgreSql;

/// <summary>
/// The store for sites whose several WINS servers share one PostgreSQL database (active-active): every write is one
/// version-checked statement (compare-and-swap on <c>version</c>), versions come from one sequence, and every read goes
/// to the database (read-through), so a server sees another server's committed write at its next read.
/// </summary>
/// <remarks>
/// <para>
/// <b>Concurrency.</b> An insert with expected version 0 is <c>INSERT … ON CONFLICT DO NOTHING</c>; a replace is
/// <c>UPDATE … WHERE version = expected</c>; a delete is <c>DELETE … WHERE version = expected</c>. PostgreSQL's row locks
/// serialise concurrent statements on one name and re-check the <c>WHERE</c> against the committed row, so of several
/// servers writing the same name from the same version exactly one succeeds; the others get the winner's record.
/// </para>
/// <para>
/// <b>Versions</b> come from the sequence <c>wins_version</c>: strictly increasing for every write on every server,
/// across restarts (a failed statement may skip numbers). Per name, versions increase in commit order.
/// </para>
/// <para>
/// <b>Reads.</b> <see cref="FindAsync"/> is a primary-key lookup on the database (it does not complete synchronously):
/// coherence is immediate — the bound is zero — at the cost of one round trip per query (measured in
/// docs/WINS-STORAGE.md).
/// </para>
/// <para><b>Durability</b> is PostgreSQL's: a statement returns after its commit, with the server's
/// <c>synchronous_commit</c> (on by default: flushed to the server's WAL).</para>
/// <para>Thread-safety: every member may be called concurrently (connections come from a pool).</para>
/// </remarks>
public sealed class PostgreSqlWinsStore : IWinsStore
{
    /// <summary>The schema version this code writes and reads (the <c>wins_meta</c> row <c>schema_version</c>).</summary>
    public const int SchemaVersion = 1;

    private const string Columns = "name, scope, type, state, node_type, is_static, owner, expires, addresses, version";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly string _selectOne;
    private readonly string _insert;
    private readonly string _update;
    private readonly string _delete;
    private long _maxVersion;
    private int _disposed;

    private PostgreSqlWinsStore(NpgsqlDataSource dataSource, string schema, string database, long maxVersion)
    {
        _dataSource = dataSource;
        _schema = schema;
        Database = database;
        _maxVersion = maxVersion;
        string table = $"{schema}.wins_records";
        _selectOne = $"SELECT {Columns} FROM {table} WHERE name = $1 AND scope = $2";
        _insert = $"INSERT INTO {table} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nextval('{schema}.wins_version')) " +
            "ON CONFLICT (name, scope) DO NOTHING RETURNING version";
        _update = $"UPDATE {table} SET type = $3, state = $4, node_type = $5, is_static = $6, owner = $7, expires = $8, addresses = $9, " +
            $"version = nextval('{schema}.wins_version') WHERE name = $1 AND scope = $2 AND version = $10 RETURNING version";
        _delete = $"DELETE FROM {table} WHERE name = $1 AND scope = $2 AND version = $3";
    }

    /// <summary>Where the store is, for messages: <c>postgres://host:port/database</c> (never the password).</summary>
    public string Database { get; }

    /// <inheritdoc/>
    /// <remarks>The highest version this store wrote or read, or the sequence's value at open.</remarks>
    public long MaxVersion => Volatile.Read(ref _maxVersion);

    /// <summary>Connects, creates the schema when absent and checks its version.</summary>
    /// <param name="connection">A <c>postgres://user:password@host:port/database</c> URL or an Npgsql connection string.</param>
    /// <param name="options">Schema name and creation; null for the defaults.</param>
    /// <param name="logger">Where the open is logged; null for none.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">The URL or connection string is malformed.</exception>
    /// <exception cref="InvalidDataException">The schema exists but was written by another schema version.</exception>
    /// <exception cref="IOException">The database cannot be reached or refused the login (one line naming it).</exception>
    public static async Task<PostgreSqlWinsStore> OpenAsync(string connection, PostgreSqlWinsStoreOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgreSqlWinsStoreOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        string connectionString = PostgreSqlConnectionString.Parse(connection);
        string database = PostgreSqlConnectionString.Describe(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            long maxVersion = await PrepareSchemaAsync(dataSource, options, database, cancellationToken).ConfigureAwait(false);
            PostgreSqlWinsStoreLog.Opened(logger, database, options.Schema, maxVersion);
            return new PostgreSqlWinsStore(dataSource, options.Schema, database, maxVersion);
        }
        catch (Exception ex)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            if (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                throw new IOException($"{database}: {OneLine(ex.Message)}", ex);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = _dataSource.CreateCommand(_selectOne);
        AddKey(command, name);
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = _dataSource.CreateCommand(expectedVersion == 0 ? _insert : _update);
        AddKey(command, record.Name);
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)record.Type });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)record.State });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)record.NodeType });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = record.IsStatic });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = WinsRecordCodec.EncodeAddress(record.Owner), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = record.Expires.UtcTicks });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = WinsRecordCodec.EncodeMembers(record.Addresses), NpgsqlDbType = NpgsqlDbType.Bytea });
        if (expectedVersion != 0)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
        }

        object? version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (version is long assigned)
        {
            Observe(assigned);
            return new WinsWriteResult(true, record with { Version = assigned });
        }

        return new WinsWriteResult(false, await FindAsync(record.Name, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = _dataSource.CreateCommand(_delete);
        AddKey(command, name);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
        int rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return rows == 1
            ? new WinsWriteResult(true, null)
            : new WinsWriteResult(false, await FindAsync(name, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM {_schema}.wins_records", null, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM {_schema}.wins_records WHERE expires <= $1", due.UtcTicks, cancellationToken);

    /// <summary>Closes the pooled connections.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<long> PrepareSchemaAsync(NpgsqlDataSource dataSource, PostgreSqlWinsStoreOptions options, string database, CancellationToken cancellationToken)
    {
        string s = options.Schema;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (options.CreateSchema)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Servers starting together would race on CREATE … IF NOT EXISTS (a unique violation in the catalog):
            // one at a time, under a transaction-scoped advisory lock.
            await using (var create = new NpgsqlCommand($"""
                SELECT pg_advisory_xact_lock(hashtext('nbt.wins.schema'));
                CREATE SCHEMA IF NOT EXISTS {s};
                CREATE TABLE IF NOT EXISTS {s}.wins_meta (key text PRIMARY KEY, value bigint NOT NULL);
                CREATE SEQUENCE IF NOT EXISTS {s}.wins_version AS bigint MINVALUE 1;
                CREATE TABLE IF NOT EXISTS {s}.wins_records (
                    name bytea NOT NULL CHECK (octet_length(name) = 16),
                    scope text NOT NULL,
                    type smallint NOT NULL,
                    state smallint NOT NULL,
                    node_type smallint NOT NULL,
                    is_static boolean NOT NULL,
                    owner bytea NOT NULL,
                    expires bigint NOT NULL,
                    addresses bytea NOT NULL,
                    version bigint NOT NULL,
                    PRIMARY KEY (name, scope));
                CREATE INDEX IF NOT EXISTS wins_records_expires ON {s}.wins_records (expires);
                INSERT INTO {s}.wins_meta (key, value) VALUES ('schema_version', {SchemaVersion}) ON CONFLICT (key) DO NOTHING;
                """, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var check = new NpgsqlCommand(
            $"SELECT (SELECT value FROM {s}.wins_meta WHERE key = 'schema_version'), (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {s}.wins_version)",
            connection);
        await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        long? schema = reader.IsDBNull(0) ? null : reader.GetInt64(0);
        if (schema != SchemaVersion)
        {
            throw new InvalidDataException($"{database}: WINS schema '{s}' has version {schema?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}, this program reads {SchemaVersion}");
        }

        return reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
    }

    private static void AddKey(NpgsqlCommand command, NetBiosName name)
    {
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = name.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name.Scope, NpgsqlDbType = NpgsqlDbType.Text });
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private void Observe(long version)
    {
        long current = Volatile.Read(ref _maxVersion);
        while (version > current)
        {
            long seen = Interlocked.CompareExchange(ref _maxVersion, version, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async ValueTask<WinsRecord?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Decode(reader) : null;
    }

    private async IAsyncEnumerable<WinsRecord> QueryAsync(string sql, long? due, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var command = _dataSource.CreateCommand(sql);
        if (due is { } ticks)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ticks });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Decode(reader);
        }
    }

    /// <summary>A row as a record; a row that does not decode is an error naming it, never skipped.</summary>
    private WinsRecord Decode(NpgsqlDataReader reader)
    {
        byte[] name = reader.GetFieldValue<byte[]>(0);
        string scope = reader.GetString(1);
        short type = reader.GetInt16(2);
        short state = reader.GetInt16(3);
        short nodeType = reader.GetInt16(4);
        byte[] owner = reader.GetFieldValue<byte[]>(6);
        long expires = reader.GetInt64(7);
        byte[] members = reader.GetFieldValue<byte[]>(8);
        long version = reader.GetInt64(9);
        string? error = null;
        IPAddress? ownerAddress = null;
        System.Collections.Immutable.ImmutableArray<WinsAddress> addresses = [];
        DateTimeOffset expiry = default;
        if (name.Length != NetBiosName.Length)
        {
            error = $"name of {name.Length} bytes";
        }
        else if (scope.Length > 0 && NetBiosName.ValidateScope(scope) is { } scopeError)
        {
            error = $"scope: {scopeError}";
        }
        else if (type is < 0 or > 3 || state is < 0 or > 2 || nodeType is < 0 or > 3)
        {
            error = $"type {type}, state {state}, node type {nodeType}";
        }
        else if (!WinsRecordCodec.TryDecodeAddress(owner, out ownerAddress))
        {
            error = $"owner of {owner.Length} bytes";
        }
        else if (!WinsRecordCodec.TryTicks(expires, out expiry))
        {
            error = "expiry out of range";
        }
        else if (!WinsRecordCodec.TryDecodeMembers(members, null, out addresses, out error))
        {
            error ??= "address list";
        }

        if (error is not null || ownerAddress is null)
        {
            throw new InvalidDataException($"{Database}: record name={Convert.ToHexString(name)}{(scope.Length > 0 ? "." + scope : string.Empty)} in {_schema}.wins_records cannot be decoded ({error})");
        }

        Observe(version);
        return new WinsRecord
        {
            Name = NetBiosName.FromBytes(name, scope.Length == 0 ? null : scope),
            Type = (WinsRecordType)type,
            State = (WinsRecordState)state,
            NodeType = (NodeType)nodeType,
            IsStatic = reader.GetBoolean(5),
            Owner = ownerAddress,
            Expires = expiry,
            Addresses = addresses,
            Version = version,
        };
    }
}
