namespace NetBios.SessionService;

/// <summary>A pending receive ([RFC 1002] 5.3.3): a buffer waiting for message bytes from one session or, for RECEIVE ANY, from any.</summary>
internal sealed class ReceiveOperation
{
    public ReceiveOperation(Memory<byte> buffer, NbssSession? session, NetBiosName? anyLocalName)
    {
        Buffer = buffer;
        Session = session;
        AnyLocalName = anyLocalName;
    }

    public Memory<byte> Buffer { get; }

    /// <summary>The session for a specific receive; null for RECEIVE ANY.</summary>
    public NbssSession? Session { get; }

    /// <summary>For RECEIVE ANY: the local name whose sessions qualify; null for any name.</summary>
    public NetBiosName? AnyLocalName { get; }

    public int Filled { get; set; }

    public TaskCompletionSource<SessionReceiveResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Registration { get; set; }

    public bool TryComplete(SessionIoStatus status, NbssSession? session)
    {
        bool done = Completion.TrySetResult(new SessionReceiveResult(status, Filled, session));
        if (done)
        {
            Registration.Dispose();
        }

        return done;
    }
}
