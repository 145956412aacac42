using NetBios.Wire.NameService;

namespace NetBios.NameServer;

/// <summary>A decision on a registration: what to do, the record to write, the RCODE of a refusal, the hook operation.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Record">The record to write (<see cref="WinsDecisionKind.Write"/>).</param>
/// <param name="Rcode">The RCODE of a refusal.</param>
/// <param name="Operation">The hook operation: add or refresh.</param>
/// <param name="Ttl">The TTL granted, in seconds.</param>
internal readonly record struct WinsDecision(WinsDecisionKind Kind, WinsRecord? Record, NameServiceRcode Rcode, string Operation, uint Ttl)
{
    public static WinsDecision Reject(NameServiceRcode rcode) => new(WinsDecisionKind.Reject, null, rcode, string.Empty, 0);

    public static WinsDecision Challenge => new(WinsDecisionKind.Challenge, null, NameServiceRcode.Ok, string.Empty, 0);
}
