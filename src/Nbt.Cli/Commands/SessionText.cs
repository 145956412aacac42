using NetBios.SessionService;

namespace Nbt.Cli.Commands;

/// <summary>Session outcomes in words: why <c>nbt call</c> got no session.</summary>
internal static class SessionText
{
    /// <summary>Why a call failed, in words, with the negative response code when there was one.</summary>
    public static string Explain(SessionCallResult result)
    {
        string code = result.ErrorCode is { } error ? $"negative session response 0x{error:X2}: " : string.Empty;
        string words = result.Outcome switch
        {
            SessionCallOutcome.NotListeningOnCalledName => "not listening on called name",
            SessionCallOutcome.NotListeningForCallingName => "not listening for calling name",
            SessionCallOutcome.CalledNameNotPresent => "called name not present",
            SessionCallOutcome.InsufficientResources => "called name present, but insufficient resources",
            SessionCallOutcome.Unspecified => "unspecified error",
            SessionCallOutcome.NameNotFound => "the called name was not found",
            SessionCallOutcome.ConflictingAnswers => "several nodes claim the called name and none was verified by node status (conflict or spoofing); not called",
            SessionCallOutcome.Unreachable => "no answer on the session port (refused or unreachable)",
            SessionCallOutcome.Reset => "the peer reset or closed the connection before a session response",
            SessionCallOutcome.RetargetLoop => "retargets went round in a loop (or more than 4)",
            SessionCallOutcome.Timeout => "no session response in time",
            SessionCallOutcome.InvalidResponse => "the peer answered with something that is not a session response",
            SessionCallOutcome.LocalSessionTableFull => "the local session table is full",
            _ => result.Outcome.ToString(),
        };
        return code + words + (result.EndPoint is { } at ? $" (at {at})" : string.Empty);
    }
}
