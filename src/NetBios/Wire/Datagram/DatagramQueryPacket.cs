namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.4 DATAGRAM QUERY REQUEST / POSITIVE / NEGATIVE RESPONSE (NBDD): the header and DESTINATION_NAME.</summary>
/// <param name="Header">The header (type 0x14, 0x15 or 0x16).</param>
/// <param name="DestinationName">DESTINATION_NAME.</param>
public sealed record DatagramQueryPacket(DatagramHeader Header, NetBiosName DestinationName) : DatagramPacket(Header)
{
    /// <inheritdoc/>
    public override int GetEncodedLength() => DatagramHeader.Length + NameCodec.GetEncodedLength(DestinationName);

    private protected override void WriteBody(Span<byte> destination) => NameCodec.TryWrite(DestinationName, destination, out _);
}
