namespace NetBios.NameServer;

/// <summary>What the server does with a registration (see <see cref="WinsRules.DecideRegistration"/>).</summary>
internal enum WinsDecisionKind : byte
{
    /// <summary>Write the new record, then answer positively.</summary>
    Write,

    /// <summary>Answer positively without writing (a static entry that already says so).</summary>
    Positive,

    /// <summary>Answer negatively with the decision's RCODE.</summary>
    Reject,

    /// <summary>WACK the requester and challenge the current holders (RFC 1002 §5.1.4, MS-NBTE §3.2.5.2).</summary>
    Challenge,
}
