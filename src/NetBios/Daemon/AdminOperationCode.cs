namespace NetBios.Daemon;

/// <summary>The administration operations, 0x0200-0x02FF (docs/IPC.md "Administration operations").</summary>
internal static class AdminOperationCode
{
    /// <summary>STATIONS: every LANA's address, node type, scope, unit id, names and sessions.</summary>
    public const ushort Stations = 0x0201;

    /// <summary>NAMES: every name of a station (or all) with its state and holder.</summary>
    public const ushort Names = 0x0202;

    /// <summary>SESSIONS: every session of a station (or all) with its owner.</summary>
    public const ushort Sessions = 0x0203;

    /// <summary>CACHE: the name cache entries of a station (or all).</summary>
    public const ushort Cache = 0x0204;

    /// <summary>CACHE PURGE: nbtstat -R (needs ManageStation).</summary>
    public const ushort CachePurge = 0x0205;

    /// <summary>STATS: every NetBiosMetrics instrument's value.</summary>
    public const ushort Stats = 0x0206;

    /// <summary>HOLD NAME: register a name the daemon holds after the client exits (needs AddNames).</summary>
    public const ushort HoldName = 0x0210;

    /// <summary>RELEASE HELD NAME: release a held name (its uid or root).</summary>
    public const ushort ReleaseHeldName = 0x0211;

    /// <summary>WINS LIST: the WINS server's records in name order, a page at a time (docs/IPC.md "WINS operations").</summary>
    public const ushort WinsList = 0x0220;

    /// <summary>WINS SHOW: one name's record.</summary>
    public const ushort WinsShow = 0x0221;

    /// <summary>WINS DELETE: delete one name's record if it still has the version read (needs EditWins).</summary>
    public const ushort WinsDelete = 0x0222;

    /// <summary>LANA value meaning "every LANA" in a request body.</summary>
    public const byte AllLanas = 0xFF;
}
