namespace NetBios.SessionService;

/// <summary>How a listen ([RFC 1002] 5.3.1, session establishment by the called end) ended.</summary>
public enum SessionListenOutcome
{
    /// <summary>A matching SESSION REQUEST arrived and was answered positively.</summary>
    Connected,

    /// <summary>The listen's token was cancelled.</summary>
    Cancelled,

    /// <summary>The service is being disposed (or was never started).</summary>
    ServiceStopped,
}
