namespace NetBios.Daemon;

/// <summary>Who holds a name of one of the daemon's stations (docs/IPC.md "Administration operations", NAMES).</summary>
public enum NetBiosDaemonNameHolder : byte
{
    /// <summary>The station itself: a name from nbtd's configuration (host names, groups, names), or one added by a
    /// means the daemon does not attribute to a client.</summary>
    Station = 0,

    /// <summary>The daemon, for <c>nbt register</c> (HOLD NAME): kept after the program exited, until RELEASE HELD NAME
    /// or the daemon stops; the uid is the one that asked.</summary>
    Daemon = 1,

    /// <summary>A connected client (ADD NAME through NCBs): released when its connection ends.</summary>
    Client = 2,
}
