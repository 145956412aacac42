using System.Net;

namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.3 DATAGRAM ERROR PACKET: the header (MSG_TYPE 0x13) and ERROR_CODE; 11 bytes in all.</summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   MSG_TYPE    |     FLAGS     |           DGM_ID              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SOURCE_IP                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          SOURCE_PORT          |   ERROR_CODE  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
/// <param name="Header">The header (type 0x13).</param>
/// <param name="ErrorCode">ERROR_CODE (kept as received, even if not one of the three the RFC defines).</param>
public sealed record DatagramErrorPacket(DatagramHeader Header, DatagramErrorCode ErrorCode) : DatagramPacket(Header)
{
    /// <summary>Builds an error packet (MSG_TYPE 0x13, F=1, M=0).</summary>
    /// <param name="datagramId">DGM_ID, usually that of the datagram in error.</param>
    /// <param name="source">SOURCE_IP (IPv4) and SOURCE_PORT of the sender of this error.</param>
    /// <param name="errorCode">ERROR_CODE.</param>
    /// <param name="nodeType">SNT, the sender's node type.</param>
    /// <exception cref="ArgumentException">The address is not IPv4.</exception>
    public static DatagramErrorPacket Create(ushort datagramId, IPEndPoint source, DatagramErrorCode errorCode,
        DatagramSourceNodeType nodeType = DatagramSourceNodeType.BNode)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new DatagramErrorPacket(
            new DatagramHeader(DatagramMessageType.Error, DatagramFlags.First.WithSourceNodeType(nodeType), datagramId, source.Address, (ushort)source.Port),
            errorCode);
    }

    /// <inheritdoc/>
    public override int GetEncodedLength() => DatagramHeader.Length + 1;

    private protected override void WriteBody(Span<byte> destination) => destination[0] = (byte)ErrorCode;
}
