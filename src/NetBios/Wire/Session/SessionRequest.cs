namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.2 SESSION REQUEST PACKET: CALLED NAME then CALLING NAME, second-level encoded with scope, no pointers.</summary>
/// <param name="CalledName">The name called.</param>
/// <param name="CallingName">The caller's name.</param>
public sealed record SessionRequest(NetBiosName CalledName, NetBiosName CallingName) : SessionPacket
{
    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.SessionRequest;

    /// <inheritdoc/>
    public override int TrailerLength => NameCodec.GetEncodedLength(CalledName) + NameCodec.GetEncodedLength(CallingName);

    internal static SessionRequest? TryDecodeBody(ReadOnlySpan<byte> body)
    {
        // Exactly two names that fill the trailer; pointers are not allowed in session packets.
        if (!NameCodec.TryRead(body, 0, allowPointers: false, out var called, out int calledLength)
            || !NameCodec.TryRead(body, calledLength, allowPointers: false, out var calling, out int callingLength)
            || calledLength + callingLength != body.Length)
        {
            return null;
        }

        return new SessionRequest(called, calling);
    }

    private protected override void WriteTrailer(Span<byte> destination)
    {
        NameCodec.TryWrite(CalledName, destination, out int written);
        NameCodec.TryWrite(CallingName, destination[written..], out _);
    }
}
