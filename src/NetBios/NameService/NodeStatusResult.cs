using System.Net;
using System.Net.NetworkInformation;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>The result of a node status request (RFC 1002 §4.2.17–4.2.18): the remote node's name table.</summary>
/// <param name="Address">The node asked.</param>
/// <param name="Outcome">Found (the node answered) or timeout.</param>
/// <param name="Names">The names with their flags, as the node reported them.</param>
/// <param name="MacAddress">UNIT_ID from the statistics (all zeros from Samba).</param>
/// <param name="Statistics">The whole statistics block, for the curious.</param>
public sealed record NodeStatusResult(
    IPAddress Address,
    QueryOutcome Outcome,
    IReadOnlyList<NodeStatusEntry> Names,
    PhysicalAddress? MacAddress,
    NodeStatistics? Statistics);
