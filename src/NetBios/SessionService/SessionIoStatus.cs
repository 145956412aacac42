namespace NetBios.SessionService;

/// <summary>How a send or receive on a session ([RFC 1002] 5.3.3) ended; maps 1:1 to NCB SEND/RECEIVE return codes.</summary>
public enum SessionIoStatus
{
    /// <summary>Done: the whole message was sent, or the rest of a message was received.</summary>
    Ok,

    /// <summary>The buffer filled before the end of the message; more of the same message remains (NRC_INCOMP).</summary>
    Incomplete,

    /// <summary>The session was closed (hung up by either side) (NRC_SCLOSED).</summary>
    Closed,

    /// <summary>The session ended abnormally: reset, protocol violation, timeout of the peer (NRC_SABORT).</summary>
    Aborted,

    /// <summary>The operation's own timeout expired (NRC_CMDTMO). A send timeout also aborts the session.</summary>
    TimedOut,

    /// <summary>The operation was cancelled before it took effect (NRC_CMDCAN). A cancelled send also aborts the session.</summary>
    Cancelled,
}
