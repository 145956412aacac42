namespace NetBios.Daemon;

/// <summary>Why the daemon did not carry out a request (the RESPONSE status of docs/IPC.md "Requests").</summary>
public enum NetBiosDaemonRequestStatus : ushort
{
    /// <summary>Done.</summary>
    Ok = 0,

    /// <summary>The daemon does not know the operation (an older daemon).</summary>
    UnknownOperation = 1,

    /// <summary>The request's body did not have the operation's layout, or the answer did not.</summary>
    Malformed = 2,

    /// <summary>The daemon's access policy does not let this user do it.</summary>
    AccessDenied = 3,

    /// <summary>No such LANA, or no such held name.</summary>
    NotFound = 4,

    /// <summary>Too many requests pending, or another limit.</summary>
    Busy = 5,

    /// <summary>Cancelled.</summary>
    Cancelled = 6,

    /// <summary>The operation ran and failed.</summary>
    Failed = 7,
}
