namespace NetBios.Wire.Session;

/// <summary>The non-standard keep-alive request 0x89 (LENGTH 0) of old clients; answered with <see cref="SessionKeepAlive"/>.</summary>
public sealed record LegacyKeepAliveRequest : SessionPacket
{
    /// <summary>The one instance.</summary>
    public static LegacyKeepAliveRequest Instance { get; } = new();

    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.LegacyKeepAliveRequest;

    /// <inheritdoc/>
    public override int TrailerLength => 0;
}
