namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.3 POSITIVE SESSION RESPONSE PACKET (LENGTH 0).</summary>
public sealed record PositiveSessionResponse : SessionPacket
{
    /// <summary>The one instance.</summary>
    public static PositiveSessionResponse Instance { get; } = new();

    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.PositiveSessionResponse;

    /// <inheritdoc/>
    public override int TrailerLength => 0;
}
