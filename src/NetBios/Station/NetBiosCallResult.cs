using System.Diagnostics.CodeAnalysis;
using NetBios.SessionService;

namespace NetBios.Station;

/// <summary>The result of <see cref="INetBiosStation.CallAsync"/> ([RFC 1002] 5.3.2): the outcome and, when connected, the session.</summary>
/// <param name="Outcome">How the call ended.</param>
/// <param name="Session">The established session when <see cref="Outcome"/> is <see cref="SessionCallOutcome.Connected"/>.</param>
/// <param name="ErrorCode">The raw ERROR_CODE of a NEGATIVE SESSION RESPONSE, if that is how it ended.</param>
public sealed record NetBiosCallResult(SessionCallOutcome Outcome, INetBiosSession? Session, byte? ErrorCode)
{
    /// <summary>True when the session is established.</summary>
    [MemberNotNullWhen(true, nameof(Session))]
    public bool IsConnected => Outcome == SessionCallOutcome.Connected && Session is not null;
}
