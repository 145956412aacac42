namespace NetBios.NameService;

/// <summary>
/// The names one adapter (LANA) has added: unique and group names with NCB name numbers 1..254 (number 1 is the
/// permanent node name), bounded by a configurable maximum. Thread-safe.
/// </summary>
public sealed class LocalNameTable
{
    private readonly Lock _lock = new();
    private readonly LocalName?[] _byNumber = new LocalName?[255];
    private readonly int _maxNames;
    private int _count;
    private int _nextNumber = 2;

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
                return _count;
            }
        }
    }

    /// <summary>Adds a name in state <see cref="LocalNameState.Registering"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="isGroup">True for a group name.</param>
    /// <param name="permanent">True for the permanent node name, which takes name number 1.</param>
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
            if (FindLocked(name) is not null || (permanent && _byNumber[1] is not null))
            {
                return AddNameError.Duplicate;
            }

            if (_count >= _maxNames)
            {
                return AddNameError.TableFull;
            }

            int number = permanent ? 1 : AllocateNumberLocked();
            if (number < 0)
            {
                return AddNameError.TableFull;
            }

            entry = new LocalName(name, number, isGroup, permanent);
            _byNumber[number] = entry;
            _count++;
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

    /// <summary>The entry with an NCB name number, or null.</summary>
    public LocalName? Find(int number)
    {
        if (number is < 1 or > 254)
        {
            return null;
        }

        lock (_lock)
        {
            return _byNumber[number];
        }
    }

    /// <summary>Removes an entry; its number can be reused later.</summary>
    /// <returns>False when it was not in the table.</returns>
    public bool Remove(LocalName entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            if (!ReferenceEquals(_byNumber[entry.Number], entry))
            {
                return false;
            }

            _byNumber[entry.Number] = null;
            _count--;
            entry.RefreshTimer?.Dispose();
            entry.RefreshTimer = null;
            return true;
        }
    }

    /// <summary>A snapshot of the entries in name-number order.</summary>
    public IReadOnlyList<LocalName> Snapshot()
    {
        lock (_lock)
        {
            return _byNumber.OfType<LocalName>().ToList();
        }
    }

    private LocalName? FindLocked(NetBiosName name)
    {
        foreach (var entry in _byNumber)
        {
            if (entry is not null && entry.Name == name)
            {
                return entry;
            }
        }

        return null;
    }

    private int AllocateNumberLocked()
    {
        // Numbers go round 2..254 so that a just-deleted number is not handed out again at once
        // (an NCB still holding the old number then gets NRC_ILLNN rather than another name).
        for (int i = 0; i < 253; i++)
        {
            int candidate = _nextNumber;
            _nextNumber = _nextNumber == 254 ? 2 : _nextNumber + 1;
            if (_byNumber[candidate] is null)
            {
                return candidate;
            }
        }

        return -1;
    }
}
