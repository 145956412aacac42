using System.Net;
using NetBios.Wire.Datagram;

namespace NetBios.DatagramService;

/// <summary>A datagram delivered to a receiver: whole (reassembled when it came in fragments).</summary>
/// <param name="Type">DIRECT_UNIQUE, DIRECT_GROUP or BROADCAST.</param>
/// <param name="SourceName">SOURCE_NAME: the sender's NetBIOS name (as the sender claims it; never learnt from).</param>
/// <param name="DestinationName">DESTINATION_NAME: the local name (or group) it was sent to, exactly as the local name table
/// holds it (bytes and scope); <c>*</c> for broadcasts.</param>
/// <param name="Data">The user data.</param>
/// <param name="Source">SOURCE_IP and SOURCE_PORT from the datagram header.</param>
/// <param name="ReceivedFrom">The endpoint the (last) packet came from; differs from <paramref name="Source"/> when an
/// NBDD relayed it.</param>
public sealed record ReceivedDatagram(
    DatagramMessageType Type,
    NetBiosName SourceName,
    NetBiosName DestinationName,
    ReadOnlyMemory<byte> Data,
    IPEndPoint Source,
    IPEndPoint ReceivedFrom)
{
    /// <summary>True for a BROADCAST datagram (to every station).</summary>
    public bool IsBroadcast => Type == DatagramMessageType.Broadcast;
}
