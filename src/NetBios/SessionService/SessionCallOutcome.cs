namespace NetBios.SessionService;

/// <summary>How a call ([RFC 1002] 5.3.2, session establishment by the caller) ended; maps 1:1 to NCB CALL return codes.</summary>
public enum SessionCallOutcome
{
    /// <summary>POSITIVE SESSION RESPONSE: the session is established.</summary>
    Connected,

    /// <summary>NEGATIVE SESSION RESPONSE 0x80: not listening on called name.</summary>
    NotListeningOnCalledName,

    /// <summary>NEGATIVE SESSION RESPONSE 0x81: not listening for calling name.</summary>
    NotListeningForCallingName,

    /// <summary>NEGATIVE SESSION RESPONSE 0x82: called name not present.</summary>
    CalledNameNotPresent,

    /// <summary>NEGATIVE SESSION RESPONSE 0x83: called name present, but insufficient resources.</summary>
    InsufficientResources,

    /// <summary>NEGATIVE SESSION RESPONSE 0x8F or an unknown code (see <see cref="SessionCallResult.ErrorCode"/>).</summary>
    Unspecified,

    /// <summary>The resolver found no address for the called name.</summary>
    NameNotFound,

    /// <summary>No address accepted the TCP connection (refused, unreachable, no route).</summary>
    Unreachable,

    /// <summary>RETARGET responses went round in a loop or past SSN_RETRY_COUNT.</summary>
    RetargetLoop,

    /// <summary>No answer within <see cref="SessionServiceOptions.CallTimeout"/>.</summary>
    Timeout,

    /// <summary>The caller's token was cancelled.</summary>
    Cancelled,

    /// <summary>The peer answered with something that is not a session response.</summary>
    InvalidResponse,

    /// <summary>The local session table is full (<see cref="SessionServiceOptions.MaxSessions"/>).</summary>
    LocalSessionTableFull,

    /// <summary>The service is being disposed.</summary>
    ServiceStopped,

    /// <summary>
    /// The TCP connection was established, then reset or closed by the peer (or failed) before a session response
    /// arrived: a server that accepts and then resets. Not a NetBIOS answer, so not a negative response (NRC_SABORT).
    /// </summary>
    Reset,

    /// <summary>The broadcast claims of the called (unique) name were not verified as one holder's (<see cref="NameService.QueryOutcome.Conflict"/>: several holders, or claims refuted by node status): not called.</summary>
    ConflictingAnswers,
}
