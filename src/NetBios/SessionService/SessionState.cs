namespace NetBios.SessionService;

/// <summary>State of an <see cref="NbssSession"/> ([RFC 1001] 16.1); numbered as NCB SESSION_BUFFER states.</summary>
public enum SessionState
{
    /// <summary>Messages flow (SESSION_ESTABLISHED).</summary>
    Established = 3,

    /// <summary>A hang-up is waiting for pending sends (HANGUP_PENDING).</summary>
    HangUpPending = 4,

    /// <summary>Closed by either side (HANGUP_COMPLETE).</summary>
    Closed = 5,

    /// <summary>Ended abnormally (SESSION_ABORTED).</summary>
    Aborted = 6,
}
