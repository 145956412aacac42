namespace NetBios.Daemon;

/// <summary>What the daemon's access policy lets a client do (docs/IPC.md "Access"), decided from the peer credentials of
/// its socket, never from anything the client says. The daemon reports them in WELCOME.</summary>
[Flags]
public enum NetBiosDaemonPermissions : uint
{
    /// <summary>Nothing beyond what every client may do (queries, status, datagrams to names, calls, receives).</summary>
    None = 0,

    /// <summary>ADD NAME and ADD GROUP NAME.</summary>
    AddNames = 1,

    /// <summary>LISTEN (accept sessions).</summary>
    Listen = 2,

    /// <summary>SEND BROADCAST DATAGRAM.</summary>
    SendBroadcasts = 4,

    /// <summary>Edit the WINS database (reserved for the station-level messages of a later minor version).</summary>
    EditWins = 8,

    /// <summary>Manage the daemon's stations: CACHE PURGE (nbtstat -R). Default: root only.</summary>
    ManageStation = 16,

    /// <summary>All of the above (root always has them).</summary>
    All = AddNames | Listen | SendBroadcasts | EditWins | ManageStation,
}
