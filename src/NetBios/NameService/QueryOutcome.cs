namespace NetBios.NameService;

/// <summary>How a name query ended.</summary>
public enum QueryOutcome : byte
{
    /// <summary>At least one address was found.</summary>
    Found,

    /// <summary>A name server answered negatively (see <see cref="NameQueryResult.Rcode"/>), or no source knew the name.</summary>
    NotFound,

    /// <summary>No answer arrived from any source that was asked (B-node broadcast silence is reported as this).</summary>
    Timeout,

    /// <summary>
    /// Nodes claim the unique name and verification (a node status request to each claimed address, RFC 1002
    /// §4.2.17) did not single one out: none or several hold it (a lone claim refuted by its own node status is one
    /// too; see <see cref="NameServiceOptions.VerifyBroadcastAnswers"/>). <see cref="NameQueryResult.Answers"/> has every
    /// claim, <see cref="NameQueryResult.Diagnostics"/> who said what and what node status showed. Callers must not pick one.
    /// </summary>
    Conflict,
}
