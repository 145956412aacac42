namespace NetBios.Daemon;

/// <summary>
/// Routes a REQUEST (protocol 1.1) to the handlers of its operation range (docs/IPC.md "Requests"):
/// 0x0100-0x01FF the station API a program uses (names, query, status, datagrams, sessions: <see cref="StationOperations"/>),
/// 0x0200-0x02FF the administration of the daemon's stations (<see cref="AdminOperations"/>). A code nobody handles is
/// answered UnknownOperation, so that a newer client can fall back on an older daemon.
/// </summary>
internal static class DaemonOperations
{
    /// <summary>Carries out one request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">REQUEST CANCEL, or the connection ending.</param>
    /// <returns>The reply to send.</returns>
    public static ValueTask<DaemonReply> HandleAsync(DaemonRequest request, CancellationToken cancellationToken) => request.Operation switch
    {
        >= 0x0100 and <= 0x01FF => StationOperations.HandleAsync(request, cancellationToken),
        >= 0x0200 and <= 0x02FF => AdminOperations.HandleAsync(request, cancellationToken),
        _ => ValueTask.FromResult(Unknown(request)),
    };

    /// <summary>The reply to an operation code nobody handles.</summary>
    /// <param name="request">The request.</param>
    /// <returns>UnknownOperation.</returns>
    public static DaemonReply Unknown(DaemonRequest request) =>
        DaemonReply.Fail(NetBiosDaemonRequestStatus.UnknownOperation, $"this daemon does not know operation 0x{request.Operation:X4}");
}
