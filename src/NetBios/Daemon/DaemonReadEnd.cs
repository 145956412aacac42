namespace NetBios.Daemon;

/// <summary>Why the reading of an IPC connection ended (<see cref="DaemonSocketReader"/>): a text for the log and,
/// when the peer is to be told, the error code of the ERROR message (docs/IPC.md "Errors").</summary>
/// <param name="Reason">What happened, in words.</param>
/// <param name="Error">The error to report to the peer, or null (it closed, the connection failed, it is stopped).</param>
internal readonly record struct DaemonReadEnd(string Reason, NetBiosDaemonError? Error = null);
