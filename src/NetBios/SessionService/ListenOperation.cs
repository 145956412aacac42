namespace NetBios.SessionService;

/// <summary>A pending listen ([RFC 1002] 5.3.1): waits for a SESSION REQUEST to a local name, from one caller or any.</summary>
internal sealed class ListenOperation(NetBiosName localName, NetBiosName? remoteName)
{
    public NetBiosName LocalName { get; } = localName;

    /// <summary>The caller accepted; null for any caller (<c>*</c>).</summary>
    public NetBiosName? RemoteName { get; } = remoteName;

    public TaskCompletionSource<SessionListenResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Registration { get; set; }

    public bool Accepts(NetBiosName calling) => RemoteName is not { } remote || remote.IsWildcard || remote == calling;
}
