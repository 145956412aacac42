namespace NetBios.SessionService;

/// <summary>
/// A SESSION REQUEST ([RFC 1002] 5.3.1) to a served name that arrived while no LISTEN was ready: it waits briefly for
/// the next LISTEN (<see cref="SessionServiceOptions.ListenQueueTimeout"/>) instead of being refused at once.
/// </summary>
/// <param name="calledName">The name called.</param>
/// <param name="callingName">The caller.</param>
internal sealed class QueuedRequest(NetBiosName calledName, NetBiosName callingName)
{
    public NetBiosName CalledName { get; } = calledName;

    public NetBiosName CallingName { get; } = callingName;

    /// <summary>The LISTEN handed over to this request, or null when the service stops.</summary>
    public TaskCompletionSource<ListenOperation?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
