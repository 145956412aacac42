namespace NetBios.NameService;

/// <summary>
/// What node status (RFC 1002 §4.2.17–4.2.18) said about an address that claimed a unique name in answer to a
/// broadcast NAME QUERY REQUEST (see <see cref="BroadcastClaimChecks"/>).
/// </summary>
internal enum ClaimStatus : byte
{
    /// <summary>Its NODE STATUS REQUEST is still out.</summary>
    Pending,

    /// <summary>Its name table holds the name, unique and active: the claim may be used.</summary>
    Verified,

    /// <summary>It answered node status without the name (or with it as a group, in conflict or being released): the
    /// claim is never used.</summary>
    Refuted,

    /// <summary>Its node status was not answered in UCAST_REQ_RETRY_COUNT × UCAST_REQ_RETRY_TIMEOUT (a silent host, a
    /// firewall, an answer rate limit): neither verified nor refuted.</summary>
    Unanswered,

    /// <summary>Not checked: the per-query bound of checks was reached, or the query ended before the check did.</summary>
    Unchecked,
}
