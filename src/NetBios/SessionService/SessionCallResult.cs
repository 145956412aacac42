using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace NetBios.SessionService;

/// <summary>The result of a call ([RFC 1002] 5.3.2): the outcome and, when connected, the session.</summary>
/// <param name="Outcome">How the call ended.</param>
/// <param name="Session">The established session when <see cref="Outcome"/> is <see cref="SessionCallOutcome.Connected"/>.</param>
/// <param name="ErrorCode">The raw ERROR_CODE of a NEGATIVE SESSION RESPONSE, if that is how it ended.</param>
/// <param name="EndPoint">The last endpoint tried (after retargets), if any.</param>
/// <param name="Retargets">How many RETARGET SESSION RESPONSEs were followed.</param>
public sealed record SessionCallResult(SessionCallOutcome Outcome, NbssSession? Session, byte? ErrorCode, IPEndPoint? EndPoint, int Retargets)
{
    /// <summary>True when the session is established.</summary>
    [MemberNotNullWhen(true, nameof(Session))]
    public bool IsConnected => Outcome == SessionCallOutcome.Connected && Session is not null;

    /// <summary>The outcome for a NEGATIVE SESSION RESPONSE error code.</summary>
    /// <param name="code">ERROR_CODE.</param>
    /// <returns>The matching outcome; <see cref="SessionCallOutcome.Unspecified"/> for 0x8F and unknown codes.</returns>
    public static SessionCallOutcome FromErrorCode(byte code) => code switch
    {
        0x80 => SessionCallOutcome.NotListeningOnCalledName,
        0x81 => SessionCallOutcome.NotListeningForCallingName,
        0x82 => SessionCallOutcome.CalledNameNotPresent,
        0x83 => SessionCallOutcome.InsufficientResources,
        _ => SessionCallOutcome.Unspecified,
    };
}
