namespace NetBios.Daemon;

/// <summary>Operations 0x0200-0x02FF of protocol 1.1 (docs/IPC.md).</summary>
internal static class AdminOperations
{
    /// <summary>Carries out one request of this range.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">REQUEST CANCEL, or the connection ending.</param>
    /// <returns>The reply to send.</returns>
    public static ValueTask<DaemonReply> HandleAsync(DaemonRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DaemonOperations.Unknown(request));
}
