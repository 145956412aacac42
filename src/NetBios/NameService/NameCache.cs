namespace NetBios.NameService;

/// <summary>
/// Remembers resolution results: positive answers for as long as their wire TTL says (capped by
/// <see cref="NameServiceOptions.MaxCacheTtl"/>), negative results for <see cref="NameServiceOptions.NegativeCacheTtl"/>,
/// and LMHOSTS <c>#PRE</c> entries forever.
/// </summary>
/// <remarks>
/// Only answers to this node's own queries are stored; nothing is learnt from datagram headers or unsolicited
/// packets (CVE-2000-1079). Bounded: when full, the entry that expires first is evicted. Thread-safe.
/// </remarks>
public sealed class NameCache
{
    private readonly Dictionary<NetBiosName, Entry> _entries = [];
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly Lock _lock = new();

    /// <summary>Creates a cache.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="capacity">Most names kept.</param>
    public NameCache(TimeProvider timeProvider, int capacity = 4096)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = timeProvider;
        _capacity = capacity;
    }

    /// <summary>Names currently held (including expired ones not yet evicted).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Stores a positive answer set.</summary>
    public void AddPositive(NetBiosName name, IReadOnlyList<NameQueryAnswer> answers, TimeSpan ttl) =>
        Store(name, new Entry(answers, _time.GetUtcNow() + ttl, Permanent: false));

    /// <summary>Stores a permanent entry (LMHOSTS <c>#PRE</c>).</summary>
    public void AddPermanent(NetBiosName name, IReadOnlyList<NameQueryAnswer> answers) =>
        Store(name, new Entry(answers, DateTimeOffset.MaxValue, Permanent: true));

    /// <summary>Remembers that a name was not found.</summary>
    public void AddNegative(NetBiosName name, TimeSpan ttl) =>
        Store(name, new Entry(null, _time.GetUtcNow() + ttl, Permanent: false));

    /// <summary>Looks a name up.</summary>
    /// <param name="name">The name.</param>
    /// <param name="answers">The cached answers, or null for a cached negative result.</param>
    /// <returns>True on a hit (positive or negative), false when nothing valid is cached.</returns>
    public bool TryGet(NetBiosName name, out IReadOnlyList<NameQueryAnswer>? answers)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(name, out var entry))
            {
                if (entry.Permanent || entry.Expires > _time.GetUtcNow())
                {
                    answers = entry.Answers;
                    return true;
                }

                _entries.Remove(name);
            }
        }

        answers = null;
        return false;
    }

    /// <summary>Forgets one name (for example after a session call to a cached address failed).</summary>
    public bool Remove(NetBiosName name)
    {
        lock (_lock)
        {
            return _entries.Remove(name);
        }
    }

    /// <summary>Forgets everything except permanent entries.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var key in _entries.Where(e => !e.Value.Permanent).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>The entries held now, expired ones left out (for the daemon's CACHE operation, docs/IPC.md).</summary>
    /// <returns>Name, answers (null: a negative entry), expiry (<see cref="DateTimeOffset.MaxValue"/> when permanent), permanent.</returns>
    internal IReadOnlyList<(NetBiosName Name, IReadOnlyList<NameQueryAnswer>? Answers, DateTimeOffset Expires, bool Permanent)> Snapshot()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return [.. _entries.Where(e => e.Value.Permanent || e.Value.Expires > now).Select(e => (e.Key, e.Value.Answers, e.Value.Expires, e.Value.Permanent))];
        }
    }

    /// <summary>Forgets everything, permanent entries included (nbtstat -R before the LMHOSTS preloads are loaded again).</summary>
    /// <returns>How many entries were dropped.</returns>
    internal int Purge()
    {
        lock (_lock)
        {
            int count = _entries.Count;
            _entries.Clear();
            return count;
        }
    }

    private void Store(NetBiosName name, Entry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(name, out var existing) && existing.Permanent && !entry.Permanent)
            {
                return;
            }

            if (!_entries.ContainsKey(name) && _entries.Count >= _capacity)
            {
                Evict();
            }

            _entries[name] = entry;
        }
    }

    private void Evict()
    {
        var now = _time.GetUtcNow();
        var expired = _entries.Where(e => !e.Value.Permanent && e.Value.Expires <= now).Select(e => e.Key).ToList();
        foreach (var key in expired)
        {
            _entries.Remove(key);
        }

        if (_entries.Count >= _capacity && _entries.Where(e => !e.Value.Permanent).MinBy(e => e.Value.Expires) is { Key: var victim } pair && pair.Value is not null)
        {
            _entries.Remove(victim);
        }
    }

    private sealed record Entry(IReadOnlyList<NameQueryAnswer>? Answers, DateTimeOffset Expires, bool Permanent);
}
