using System.Net;
using NetBios.Wire.Datagram;

namespace NetBios.DatagramService;

/// <summary>The result of sending one datagram.</summary>
/// <param name="Outcome">Sent, or why not.</param>
/// <param name="Type">The MSG_TYPE used (DIRECT_UNIQUE, DIRECT_GROUP or BROADCAST).</param>
/// <param name="Destinations">Where the packets went (a unicast address, the subnet broadcast, the NBDD, or group
/// members); empty when nothing was sent.</param>
/// <param name="Fragments">Packets per destination (1 when the datagram went whole).</param>
public sealed record DatagramSendResult(DatagramSendOutcome Outcome, DatagramMessageType Type, IReadOnlyList<IPEndPoint> Destinations, int Fragments)
{
    /// <summary>True when the datagram was sent.</summary>
    public bool Succeeded => Outcome == DatagramSendOutcome.Sent;

    internal static DatagramSendResult Failed(DatagramSendOutcome outcome, DatagramMessageType type) => new(outcome, type, [], 0);
}
