namespace NetBios.NcbInterface;

/// <summary>
/// The NCB name numbers of one LANA: number ⇄ name, and what the NCB interface knows about each name (added through it,
/// deletion pending). The station keeps the names themselves; this table only numbers the ones the NCB layer uses.
/// </summary>
/// <remarks>
/// <para>
/// Numbers are 1..254. Number 1 is NAME_NUMBER_1, the permanent node name, and never goes to another name; the others
/// are handed out round-robin over 2..254, so that a just-deleted number is not given out again at once (an NCB still
/// holding the old number then gets NRC_ILLNN rather than another name). RESET starts the table afresh.
/// </para>
/// <para>
/// The station is shared: names added by other programs (or another NCB interface) are in its table too. Such a name
/// gets a number the first time this LANA reports or uses it (ADAPTER STATUS, DATAGRAM RECEIVE to 0xFF, CALL, LISTEN,
/// SESSION STATUS) and keeps it while the station holds the name; a number whose name the station no longer holds is
/// dropped when an NCB next uses it (NRC_ILLNN). RESET never deletes such names: only those added through this LANA
/// (and those whose deletion was pending).
/// </para>
/// <para>
/// The names added through this LANA are claimed in the station's <see cref="NcbNameClaims"/> (released when they leave
/// the table), so that this interface's DATAGRAM RECEIVE for any name skips datagrams to another interface's names
/// (<see cref="MayReceiveFor"/>).
/// </para>
/// <para>Thread safety: all members may be called concurrently.</para>
/// </remarks>
/// <param name="claims">The station's record of which interface added which name (none: this table is alone).</param>
internal sealed class NcbNameTable(NcbNameClaims? claims = null)
{
    /// <summary>NAME_NUMBER_1: the permanent node name's number.</summary>
    public const byte PermanentNumber = 1;

    private const byte FirstNumber = 2, LastNumber = 254;

    private readonly Lock _lock = new();
    private readonly Entry?[] _byNumber = new Entry?[LastNumber + 1];
    private readonly Dictionary<NetBiosName, Entry> _byName = [];
    private byte _nextNumber = FirstNumber;

    /// <summary>How many names were added through this LANA and are still in the table (RESET's name limit).</summary>
    public int AddedCount
    {
        get
        {
            lock (_lock)
            {
                return _byName.Values.Count(e => e.AddedHere);
            }
        }
    }

    /// <summary>The number of <paramref name="name"/>, giving it one when it has none: 1 for the permanent node name,
    /// else the next free one of 2..254.</summary>
    /// <param name="name">A name the station holds (scope applied).</param>
    /// <param name="isPermanent">True for the permanent node name.</param>
    /// <param name="addedHere">True when the NCB interface added it (RESET then releases it).</param>
    /// <param name="joined">With <paramref name="addedHere"/>: the interface joined a group name already on the station
    /// rather than registering it.</param>
    /// <returns>The number, or 0 when every number is taken.</returns>
    public byte Assign(NetBiosName name, bool isPermanent, bool addedHere = false, bool joined = false)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var known))
            {
                if (addedHere && !known.AddedHere)
                {
                    known.AddedHere = true;
                    claims?.Claim(name, this, registered: !joined);
                }

                return known.Number;
            }

            byte number = isPermanent ? (_byNumber[PermanentNumber] is null ? PermanentNumber : (byte)0) : AllocateLocked();
            if (number != 0)
            {
                var entry = new Entry(number, name) { AddedHere = addedHere };
                _byNumber[number] = entry;
                _byName[name] = entry;
                if (addedHere)
                {
                    claims?.Claim(name, this, registered: !joined);
                }
            }

            return number;
        }
    }

    /// <summary>The name with <paramref name="number"/>, or null.</summary>
    /// <param name="number">An NCB name number.</param>
    public NetBiosName? Find(byte number)
    {
        lock (_lock)
        {
            return _byNumber[number == 0xFF ? 0 : number]?.Name;
        }
    }

    /// <summary>The number of a name that has one, else 0.</summary>
    /// <param name="name">The name (scope applied).</param>
    public byte NumberOf(NetBiosName name)
    {
        lock (_lock)
        {
            return _byName.GetValueOrDefault(name)?.Number ?? 0;
        }
    }

    /// <summary>
    /// Whether DATAGRAM RECEIVE for any name on this LANA may take a datagram to <paramref name="name"/>: a name added
    /// through this LANA, or one no other NCB interface over the station added and no daemon client holds through the
    /// station operations (<see cref="NcbNameClaims.Reserve"/>).
    /// </summary>
    /// <param name="name">The datagram's destination (a local name, scope applied).</param>
    /// <returns>True when it is this interface's to receive.</returns>
    public bool MayReceiveFor(NetBiosName name)
    {
        lock (_lock)
        {
            return (_byName.TryGetValue(name, out var entry) && entry.AddedHere) || claims?.IsHeldByAnother(name, this) != true;
        }
    }

    /// <summary>Whether <paramref name="name"/> was added through this LANA.</summary>
    /// <param name="name">The name (scope applied).</param>
    /// <returns>True when this interface added it.</returns>
    public bool IsAddedHere(NetBiosName name)
    {
        lock (_lock)
        {
            return _byName.TryGetValue(name, out var entry) && entry.AddedHere;
        }
    }

    /// <summary>Whether another NCB interface over the station added <paramref name="name"/> (a group name several
    /// joined): deleting it here must leave it on the station.</summary>
    /// <param name="name">The name (scope applied).</param>
    /// <returns>True when another interface claims it.</returns>
    public bool IsClaimedByAnother(NetBiosName name) => claims?.IsClaimedByAnother(name, this) == true;

    /// <summary>The station's claims (null when this table is alone).</summary>
    public NcbNameClaims? Claims => claims;

    /// <summary>Whether DELETE NAME of <paramref name="name"/> here must leave it on the station (see
    /// <see cref="NcbNameClaims.IsKeptByOthers"/>).</summary>
    /// <param name="name">The name (scope applied).</param>
    /// <returns>True when it stays on the station.</returns>
    public bool IsKeptByOthers(NetBiosName name) => claims?.IsKeptByOthers(name, this) == true;

    /// <summary>Records that DELETE NAME found <paramref name="name"/> with sessions: it goes when they have ended.</summary>
    /// <param name="name">The name (numbered).</param>
    public void MarkDeletePending(NetBiosName name)
    {
        lock (_lock)
        {
            _byName.GetValueOrDefault(name)?.DeletePending = true;
        }
    }

    /// <summary>Removes the name with <paramref name="number"/> if its deletion is pending (its last session has ended).</summary>
    /// <param name="number">The name's number.</param>
    /// <returns>The name to release now, or null when none was pending on that number.</returns>
    public NetBiosName? TakeDeletePending(byte number)
    {
        lock (_lock)
        {
            if (_byNumber[number] is not { DeletePending: true } entry)
            {
                return null;
            }

            RemoveLocked(entry);
            return entry.Name;
        }
    }

    /// <summary>Forgets a name and frees its number.</summary>
    /// <param name="name">The name.</param>
    /// <returns>False when it had no number.</returns>
    public bool Remove(NetBiosName name)
    {
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out var entry))
            {
                return false;
            }

            RemoveLocked(entry);
            return true;
        }
    }

    /// <summary>The names added through this LANA and still in the table (who holds which name, for the daemon's NAMES).</summary>
    /// <returns>The names.</returns>
    public IReadOnlyList<NetBiosName> AddedNames()
    {
        lock (_lock)
        {
            return [.. _byName.Values.Where(e => e.AddedHere).Select(e => e.Name)];
        }
    }

    /// <summary>RESET: empties the table (numbering starts again at 2).</summary>
    /// <returns>The names for RESET to delete: those added through this LANA, and those whose deletion was pending (but
    /// not a group name another interface over the station still holds).</returns>
    public IReadOnlyList<NetBiosName> Clear()
    {
        lock (_lock)
        {
            var added = new List<NetBiosName>();
            foreach (var entry in _byName.Values.Where(e => e.AddedHere || e.DeletePending))
            {
                // A group name another interface joined too stays on the station: the last one to leave deletes it.
                bool last = claims is null || (entry.AddedHere ? claims.Release(entry.Name, this) : !claims.IsClaimedByAnother(entry.Name, this));
                if (last)
                {
                    added.Add(entry.Name);
                }
            }

            Array.Clear(_byNumber);
            _byName.Clear();
            _nextNumber = FirstNumber;
            return added;
        }
    }

    private void RemoveLocked(Entry entry)
    {
        if (entry.AddedHere)
        {
            _ = claims?.Release(entry.Name, this);
        }

        _byNumber[entry.Number] = null;
        _byName.Remove(entry.Name);
    }

    private byte AllocateLocked()
    {
        for (int i = FirstNumber; i <= LastNumber; i++)
        {
            byte candidate = _nextNumber;
            _nextNumber = _nextNumber == LastNumber ? FirstNumber : (byte)(_nextNumber + 1);
            if (_byNumber[candidate] is null)
            {
                return candidate;
            }
        }

        return 0;
    }

    private sealed class Entry(byte number, NetBiosName name)
    {
        public byte Number { get; } = number;

        public NetBiosName Name { get; } = name;

        public bool AddedHere { get; set; }

        public bool DeletePending { get; set; }
    }
}
