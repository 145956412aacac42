using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>The result of registering (or refreshing) a name.</summary>
/// <param name="Name">The name.</param>
/// <param name="Outcome">Registered, conflict, refused or timeout.</param>
/// <param name="Owner">For a conflict: the address of the node that defended the name (or the NBNS's answer), when known.</param>
/// <param name="Rcode">The RCODE of the negative response, when there was one.</param>
/// <param name="Ttl">The TTL granted (name server) or requested (broadcast).</param>
/// <param name="RespondedBy">The endpoint whose response decided the outcome (null for broadcast silence).</param>
public sealed record NameRegistrationResult(
    NetBiosName Name,
    RegistrationOutcome Outcome,
    IPAddress? Owner,
    NameServiceRcode? Rcode,
    TimeSpan Ttl,
    IPEndPoint? RespondedBy)
{
    /// <summary>True when the name is now ours.</summary>
    public bool Succeeded => Outcome == RegistrationOutcome.Registered;
}
