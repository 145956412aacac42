using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>The result of resolving a name: every answer collected in the query window, and diagnostics.</summary>
/// <param name="Name">The name asked for.</param>
/// <param name="Outcome">Found, not found or timed out.</param>
/// <param name="Answers">Every distinct (address, responder) answer, in arrival order.</param>
/// <param name="Rcode">The name server's RCODE of a negative response, if one was the final word.</param>
/// <param name="Diagnostics">Human-readable notes: conflicting answers (which source said what), redirects, ignored responses.</param>
public sealed record NameQueryResult(
    NetBiosName Name,
    QueryOutcome Outcome,
    IReadOnlyList<NameQueryAnswer> Answers,
    NameServiceRcode? Rcode,
    IReadOnlyList<string> Diagnostics)
{
    /// <summary>The distinct addresses found, in arrival order.</summary>
    public IReadOnlyList<System.Net.IPAddress> Addresses => Answers.Select(a => a.Address).Distinct().ToList();

    /// <summary>
    /// True when several responders claimed the name as <em>unique</em> with different addresses — a conflict on the
    /// network, or a spoofing attempt (Responder-style). A multi-homed host answering once with several addresses is not
    /// a conflict.
    /// </summary>
    public bool HasConflictingAnswers =>
        Answers.Where(a => !a.IsGroup && a.Responder is not null)
            .GroupBy(a => a.Responder!.Address)
            .Select(g => g.Select(a => a.Address).ToHashSet())
            .Distinct(HashSet<System.Net.IPAddress>.CreateSetComparer())
            .Count() > 1;
}
