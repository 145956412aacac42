using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>One address for a name, and who said so.</summary>
/// <param name="Address">The owner's IPv4 address (or one of them, for multi-homed hosts and groups).</param>
/// <param name="IsGroup">The G bit of the answer's NB_FLAGS.</param>
/// <param name="NodeType">The ONT bits of the answer's NB_FLAGS.</param>
/// <param name="Ttl">The TTL from the wire (zero for LMHOSTS and DNS answers = "do not cache beyond the default").</param>
/// <param name="Responder">The endpoint the answer came from (null for LMHOSTS, DNS and cache-less sources).</param>
/// <param name="Source">How the answer was obtained.</param>
public sealed record NameQueryAnswer(IPAddress Address, bool IsGroup, NodeType NodeType, TimeSpan Ttl, IPEndPoint? Responder, ResolveSource Source);
