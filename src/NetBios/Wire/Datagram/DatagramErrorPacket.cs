namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.3 DATAGRAM ERROR PACKET: the header and ERROR_CODE.</summary>
/// <param name="Header">The header (type 0x13).</param>
/// <param name="ErrorCode">ERROR_CODE.</param>
public sealed record DatagramErrorPacket(DatagramHeader Header, DatagramErrorCode ErrorCode) : DatagramPacket(Header)
{
    /// <inheritdoc/>
    public override int GetEncodedLength() => DatagramHeader.Length + 1;

    private protected override void WriteBody(Span<byte> destination) => destination[0] = (byte)ErrorCode;
}
