using System.Net;

namespace NetBios.Wire.Datagram;

/// <summary>
/// [RFC 1002] 4.4.4 DATAGRAM QUERY REQUEST, POSITIVE QUERY RESPONSE and NEGATIVE QUERY RESPONSE (to and from an NBDD):
/// the header (MSG_TYPE 0x14, 0x15 or 0x16) and DESTINATION_NAME.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   MSG_TYPE    |     FLAGS     |           DGM_ID              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SOURCE_IP                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          SOURCE_PORT          |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// /                       DESTINATION_NAME                        /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Windows never uses an NBDD; these packets are decoded for completeness and for tests.
/// </remarks>
/// <param name="Header">The header (type 0x14, 0x15 or 0x16).</param>
/// <param name="DestinationName">DESTINATION_NAME.</param>
public sealed record DatagramQueryPacket(DatagramHeader Header, NetBiosName DestinationName) : DatagramPacket(Header)
{
    /// <summary>Builds a query request or response (F=1, M=0).</summary>
    /// <param name="type">0x14, 0x15 or 0x16.</param>
    /// <param name="datagramId">DGM_ID.</param>
    /// <param name="source">SOURCE_IP (IPv4) and SOURCE_PORT.</param>
    /// <param name="destinationName">The name asked about.</param>
    /// <param name="nodeType">SNT, the sender's node type.</param>
    /// <exception cref="ArgumentException">The type is not 0x14–0x16, or the address is not IPv4.</exception>
    public static DatagramQueryPacket Create(DatagramMessageType type, ushort datagramId, IPEndPoint source, NetBiosName destinationName,
        DatagramSourceNodeType nodeType = DatagramSourceNodeType.BNode)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (type is not (DatagramMessageType.QueryRequest or DatagramMessageType.PositiveQueryResponse or DatagramMessageType.NegativeQueryResponse))
        {
            throw new ArgumentException($"MSG_TYPE 0x{(byte)type:X2} is not a datagram query packet (0x14–0x16).", nameof(type));
        }

        return new DatagramQueryPacket(
            new DatagramHeader(type, DatagramFlags.First.WithSourceNodeType(nodeType), datagramId, source.Address, (ushort)source.Port),
            destinationName);
    }

    /// <inheritdoc/>
    public override int GetEncodedLength() => DatagramHeader.Length + NameCodec.GetEncodedLength(DestinationName);

    private protected override void WriteBody(Span<byte> destination) => NameCodec.TryWrite(DestinationName, destination, out _);
}
