namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.4 NEGATIVE SESSION RESPONSE PACKET (LENGTH 1: ERROR_CODE).</summary>
/// <param name="ErrorCode">Why the session was refused.</param>
public sealed record NegativeSessionResponse(SessionErrorCode ErrorCode) : SessionPacket
{
    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.NegativeSessionResponse;

    /// <inheritdoc/>
    public override int TrailerLength => 1;

    private protected override void WriteTrailer(Span<byte> destination) => destination[0] = (byte)ErrorCode;
}
