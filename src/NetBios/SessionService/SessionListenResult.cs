using System.Diagnostics.CodeAnalysis;

namespace NetBios.SessionService;

/// <summary>The result of a listen ([RFC 1002] 5.3.1).</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Session">The session when <see cref="Outcome"/> is <see cref="SessionListenOutcome.Connected"/>.</param>
public sealed record SessionListenResult(SessionListenOutcome Outcome, NbssSession? Session)
{
    /// <summary>True when a session was established.</summary>
    [MemberNotNullWhen(true, nameof(Session))]
    public bool IsConnected => Outcome == SessionListenOutcome.Connected && Session is not null;
}
