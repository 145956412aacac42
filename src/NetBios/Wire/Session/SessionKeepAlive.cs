namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.7 SESSION KEEP ALIVE PACKET (LENGTH 0).</summary>
public sealed record SessionKeepAlive : SessionPacket
{
    /// <summary>The one instance.</summary>
    public static SessionKeepAlive Instance { get; } = new();

    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.SessionKeepAlive;

    /// <inheritdoc/>
    public override int TrailerLength => 0;
}
