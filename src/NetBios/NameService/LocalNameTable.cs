namespace NetBios.NameService;

/// <summary>
/// The names one adapter (LANA) has added: unique and group names, at most one of them the permanent node name,
/// bounded by a configurable maximum, kept in the order they were added. Thread-safe.
/// </summary>
/// <remarks>NCB name numbers are not kept here: the NCB layer numbers the names it uses (<c>NetBios.NcbInterface</c>).</remarks>
public sealed class LocalNameTable
{
    private readonly Lock _lock = new();
    private readonly List<LocalName> _entries = [];
    private readonly int _maxNames;

    /// <summary>Creates an empty table.</summary>
    /// <param name="maxNames">Most names (1..254).</param>
    public LocalNameTable(int maxNames = 254)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNames, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxNames, 254);
        _maxNames = maxNames;
    }

    /// <summary>The lock that guards every entry's state.</summary>
    internal Lock SyncRoot => _lock;

    /// <summary>Number of names in the table.</summary>
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

    /// <summary>Adds a name in state <see cref="LocalNameState.Registering"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="isGroup">True for a group name.</param>
    /// <param name="permanent">True for the permanent node name (one per table).</param>
    /// <param name="entry">The new entry.</param>
    /// <returns><see cref="AddNameError.None"/> when added.</returns>
    public AddNameError TryAdd(NetBiosName name, bool isGroup, bool permanent, out LocalName? entry)
    {
        entry = null;
        if (name.IsWildcard)
        {
            return AddNameError.Wildcard;
        }

        lock (_lock)
        {
            if (FindLocked(name) is not null || (permanent && _entries.Exists(e => e.IsPermanent)))
            {
                return AddNameError.Duplicate;
            }

            if (_entries.Count >= _maxNames)
            {
                return AddNameError.TableFull;
            }

            entry = new LocalName(name, isGroup, permanent);
            _entries.Add(entry);
            return AddNameError.None;
        }
    }

    /// <summary>The entry for a name (bytes and scope), or null.</summary>
    public LocalName? Find(NetBiosName name)
    {
        lock (_lock)
        {
            return FindLocked(name);
        }
    }

    /// <summary>Removes an entry.</summary>
    /// <returns>False when it was not in the table.</returns>
    public bool Remove(LocalName entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            if (!_entries.Remove(entry))
            {
                return false;
            }

            entry.RefreshTimer?.Dispose();
            entry.RefreshTimer = null;
            return true;
        }
    }

    /// <summary>A snapshot of the entries in the order they were added.</summary>
    public IReadOnlyList<LocalName> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    private LocalName? FindLocked(NetBiosName name) => _entries.Find(e => e.Name == name);
}
