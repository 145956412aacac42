using System.Net;

namespace NetBios.NameService;

/// <summary>
/// How one request exchange of a <see cref="NameServiceEndpoint"/> runs: where the request goes, who may answer, how
/// often it is sent and how long each window lasts (RFC 1002 §5.1: BCAST_REQ_RETRY_COUNT × BCAST_REQ_RETRY_TIMEOUT for
/// broadcasts, UCAST_REQ_RETRY_COUNT × UCAST_REQ_RETRY_TIMEOUT for unicast requests).
/// </summary>
/// <param name="Destination">Where the request is sent (a node, a name server, or the broadcast address).</param>
/// <param name="ExpectedSource">The only address whose responses count; null to accept any (a broadcast).</param>
/// <param name="Attempts">How many times the request is sent at most (at least 1).</param>
/// <param name="Window">How long responses are awaited after each sending.</param>
/// <param name="Capacity">Most responses buffered while the filter has not seen them; further ones are dropped.</param>
public readonly record struct NameServiceExchange(IPEndPoint Destination, IPAddress? ExpectedSource, int Attempts, TimeSpan Window, int Capacity = 8);
