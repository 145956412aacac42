using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>The result of releasing a name.</summary>
/// <param name="Name">The name.</param>
/// <param name="Outcome">Released, refused, no answer, or broadcast.</param>
/// <param name="Rcode">The RCODE of a negative response.</param>
/// <param name="Server">The name server asked (null for a broadcast release).</param>
public sealed record NameReleaseResult(NetBiosName Name, ReleaseOutcome Outcome, NameServiceRcode? Rcode, IPEndPoint? Server);
