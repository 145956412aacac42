namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.2 SESSION REQUEST PACKET: CALLED NAME then CALLING NAME, second-level encoded with scope, no pointers.</summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      TYPE     |     FLAGS     |            LENGTH             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                          CALLED NAME                          /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                          CALLING NAME                         /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Decoding requires exactly two names that fill LENGTH: "label pointers cannot be used in Session or Datagram
/// Service packets". Many implementations omit the scope here; this codec writes the names' scopes as they are.
/// </remarks>
/// <param name="CalledName">The name called.</param>
/// <param name="CallingName">The caller's name.</param>
public sealed record SessionRequest(NetBiosName CalledName, NetBiosName CallingName) : SessionPacket
{
    /// <inheritdoc/>
    public override SessionPacketType Type => SessionPacketType.SessionRequest;

    /// <inheritdoc/>
    public override int TrailerLength => NameCodec.GetEncodedLength(CalledName) + NameCodec.GetEncodedLength(CallingName);

    /// <summary>LENGTH when both names have no scope: 2 × 34.</summary>
    public const int UnscopedTrailerLength = 68;

    internal static SessionRequest? TryDecodeBody(ReadOnlySpan<byte> body, out SessionFrameError error)
    {
        // Exactly two names that fill the trailer; pointers are not allowed in session packets.
        if (!NameCodec.TryRead(body, 0, allowPointers: false, out var called, out int calledLength))
        {
            error = SessionFrameError.BadCalledName;
            return null;
        }

        if (!NameCodec.TryRead(body, calledLength, allowPointers: false, out var calling, out int callingLength))
        {
            error = SessionFrameError.BadCallingName;
            return null;
        }

        if (calledLength + callingLength != body.Length)
        {
            error = SessionFrameError.BadBody;
            return null;
        }

        error = SessionFrameError.None;
        return new SessionRequest(called, calling);
    }

    private protected override bool CanEncode() => TrailerLength <= SessionHeader.MaxRequestLength;

    private protected override void WriteTrailer(Span<byte> destination)
    {
        NameCodec.TryWrite(CalledName, destination, out int written);
        NameCodec.TryWrite(CallingName, destination[written..], out _);
    }
}
