using System.Runtime.CompilerServices;

namespace NetBios.NameServer;

/// <summary>
/// A store that keeps its records in memory only: for tests, and for a server whose registrations may be lost with
/// the process (as a B/P/M/H node's own name table). Every read completes synchronously.
/// </summary>
public sealed class InMemoryWinsStore : IWinsStore
{
    private readonly Dictionary<NetBiosName, WinsRecord> _records = [];
    private readonly Lock _gate = new();
    private long _maxVersion;

    /// <summary>Creates an empty store whose versions continue after <paramref name="initialVersion"/>.</summary>
    /// <param name="initialVersion">The last version handed out before (0 for a new store).</param>
    public InMemoryWinsStore(long initialVersion = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialVersion);
        _maxVersion = initialVersion;
    }

    /// <inheritdoc/>
    public long MaxVersion
    {
        get
        {
            lock (_gate)
            {
                return _maxVersion;
            }
        }
    }

    /// <summary>The number of records held (any state).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_records.GetValueOrDefault(name));
        }
    }

    /// <inheritdoc/>
    public ValueTask<WinsWriteResult> WriteAsync(WinsRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            var current = _records.GetValueOrDefault(record.Name);
            if ((current?.Version ?? 0) != expectedVersion)
            {
                return new(new WinsWriteResult(false, current));
            }

            var stored = record with { Version = ++_maxVersion };
            _records[record.Name] = stored;
            return new(new WinsWriteResult(true, stored));
        }
    }

    /// <inheritdoc/>
    public ValueTask<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(name, out var current) || current.Version != expectedVersion)
            {
                return new(new WinsWriteResult(false, current));
            }

            _records.Remove(name);
            return new(new WinsWriteResult(true, null));
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<WinsRecord> EnumerateAsync(CancellationToken cancellationToken = default) =>
        Snapshot(static _ => true, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<WinsRecord> EnumerateDueAsync(DateTimeOffset due, CancellationToken cancellationToken = default) =>
        Snapshot(record => record.Expires <= due, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async IAsyncEnumerable<WinsRecord> Snapshot(Func<WinsRecord, bool> filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        WinsRecord[] records;
        lock (_gate)
        {
            records = [.. _records.Values.Where(filter)];
        }

        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
