namespace NetBios.Daemon;

/// <summary>The codes of an ERROR message of the nbtd IPC protocol (docs/IPC.md "Errors"), and of
/// <see cref="NetBiosDaemonException"/>.</summary>
public enum NetBiosDaemonError : ushort
{
    /// <summary>No daemon answers on the socket (not running, or the path is wrong); client side only.</summary>
    NotRunning = 0,

    /// <summary>The client speaks a major protocol version the daemon does not.</summary>
    UnsupportedVersion = 1,

    /// <summary>A message broke the framing or its layout (length, type, fields); the daemon ends that client.</summary>
    MalformedMessage = 2,

    /// <summary>The daemon serves its maximum number of clients.</summary>
    TooManyClients = 3,

    /// <summary>The socket's peer is not allowed to use the daemon at all, or the operation (docs/IPC.md "Access").</summary>
    AccessDenied = 4,

    /// <summary>The daemon is shutting down.</summary>
    ShuttingDown = 5,

    /// <summary>No HELLO within the handshake timeout.</summary>
    HandshakeTimeout = 6,

    /// <summary>The connection to the daemon was lost (it stopped, restarted or closed this client).</summary>
    ConnectionLost = 7,
}
