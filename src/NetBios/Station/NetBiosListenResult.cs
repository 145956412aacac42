using System.Diagnostics.CodeAnalysis;
using NetBios.SessionService;

namespace NetBios.Station;

/// <summary>The result of <see cref="INetBiosStation.ListenAsync"/> ([RFC 1002] 5.3.1).</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Session">The session when <see cref="Outcome"/> is <see cref="SessionListenOutcome.Connected"/>.</param>
public sealed record NetBiosListenResult(SessionListenOutcome Outcome, INetBiosSession? Session)
{
    /// <summary>True when a session was established.</summary>
    [MemberNotNullWhen(true, nameof(Session))]
    public bool IsConnected => Outcome == SessionListenOutcome.Connected && Session is not null;
}
