namespace NetBios.Daemon;

/// <summary>The status of a RESPONSE of the nbtd IPC protocol (docs/IPC.md "Requests"): the first two bytes of its
/// payload. Anything but <see cref="Ok"/> is followed by a UTF-8 text saying why (at most 1024 bytes).</summary>
internal enum DaemonStatus : ushort
{
    /// <summary>Done; the operation's result body follows.</summary>
    Ok = 0,

    /// <summary>The daemon does not know the operation code (an older daemon): the client may fall back.</summary>
    UnknownOperation = 1,

    /// <summary>The request's body does not have the operation's layout.</summary>
    Malformed = 2,

    /// <summary>The access policy does not let this client do it.</summary>
    AccessDenied = 3,

    /// <summary>The LANA, name, session or record the request names does not exist (for this client).</summary>
    NotFound = 4,

    /// <summary>The client has its maximum of pending requests (MaxPendingNcbsPerClient) or another limit is reached.</summary>
    Busy = 5,

    /// <summary>The client cancelled it (REQUEST CANCEL) or the connection is closing.</summary>
    Cancelled = 6,

    /// <summary>The operation ran and failed; the text says how.</summary>
    Failed = 7,
}
