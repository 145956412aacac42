using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace NetBios.Wire.Session;

/// <summary>
/// [RFC 1002] 4.3 SESSION SERVICE PACKETS other than session messages (whose payload the session layer streams):
/// request, positive, negative, retarget, keep-alive. Each encodes to a whole frame and decodes from a whole frame.
/// </summary>
public abstract record SessionPacket
{
    /// <summary>The frame's TYPE.</summary>
    public abstract SessionPacketType Type { get; }

    /// <summary>LENGTH of the trailer.</summary>
    public abstract int TrailerLength { get; }

    /// <summary>Decodes a whole control frame (header and trailer), for example the bytes of an <see cref="NbssFrame"/>.</summary>
    /// <param name="frame">Exactly one frame: 4 header bytes and LENGTH trailer bytes.</param>
    /// <param name="packet">The packet.</param>
    /// <param name="error">Why it failed.</param>
    /// <returns>
    /// False on malformed input; never throws. Session messages are not decoded here
    /// (<see cref="SessionFrameError.NotAControlPacket"/>): the session layer takes their payload from the frame.
    /// </returns>
    public static bool TryDecode(ReadOnlySpan<byte> frame, [NotNullWhen(true)] out SessionPacket? packet, out SessionFrameError error)
    {
        packet = null;
        if (!SessionHeader.TryRead(frame, SessionHeader.MaxLength, out var header, out error))
        {
            error = error == SessionFrameError.None ? SessionFrameError.BadBody : error;
            return false;
        }

        if (header.Type == SessionPacketType.SessionMessage)
        {
            error = SessionFrameError.NotAControlPacket;
            return false;
        }

        if (frame.Length != SessionHeader.Size + header.Length)
        {
            error = SessionFrameError.BadBody;
            return false;
        }

        var body = frame[SessionHeader.Size..];
        if (header.Type == SessionPacketType.SessionRequest)
        {
            packet = SessionRequest.TryDecodeBody(body, out error);
            return packet is not null;
        }

        // The header check already fixed LENGTH for every other type, so the body indexes below are in range.
        packet = header.Type switch
        {
            SessionPacketType.PositiveSessionResponse => PositiveSessionResponse.Instance,
            SessionPacketType.NegativeSessionResponse => new NegativeSessionResponse((SessionErrorCode)body[0]),
            SessionPacketType.RetargetSessionResponse => new RetargetSessionResponse(new IPAddress(body[..4]), BinaryPrimitives.ReadUInt16BigEndian(body[4..])),
            SessionPacketType.SessionKeepAlive => SessionKeepAlive.Instance,
            SessionPacketType.LegacyKeepAliveRequest => LegacyKeepAliveRequest.Instance,
            _ => null,
        };
        error = packet is null ? SessionFrameError.BadBody : SessionFrameError.None;
        return packet is not null;
    }

    /// <summary>Decodes a control frame found by <see cref="NbssFrameScanner"/>, without allocating for the copy of its bytes.</summary>
    /// <param name="frame">The frame (its body may span several segments).</param>
    /// <param name="packet">The packet.</param>
    /// <param name="error">Why it failed.</param>
    /// <returns>False on malformed input or for a session message; never throws.</returns>
    public static bool TryDecode(in NbssFrame frame, [NotNullWhen(true)] out SessionPacket? packet, out SessionFrameError error)
    {
        packet = null;
        if (frame.Type == SessionPacketType.SessionMessage)
        {
            error = SessionFrameError.NotAControlPacket;
            return false;
        }

        // Control trailers are at most 256 bytes (a request); anything longer, or a body that disagrees, is refused
        // before it is copied.
        if (frame.Length is < 0 or > SessionHeader.MaxRequestLength || frame.Body.Length != frame.Length)
        {
            error = SessionFrameError.BadBody;
            return false;
        }

        Span<byte> bytes = stackalloc byte[SessionHeader.Size + SessionHeader.MaxRequestLength];
        frame.Header.TryWrite(bytes);
        frame.Body.CopyTo(bytes[SessionHeader.Size..]);
        return TryDecode(bytes[..(SessionHeader.Size + frame.Length)], out packet, out error);
    }

    /// <summary>Bytes of the whole frame.</summary>
    public int FrameLength => SessionHeader.Size + TrailerLength;

    /// <summary>Encodes the whole frame; false when <paramref name="destination"/> is too small.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Bytes written (0 on failure).</param>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = FrameLength;
        if (destination.Length < bytesWritten || !CanEncode())
        {
            bytesWritten = 0;
            return false;
        }

        new SessionHeader(Type, TrailerLength).TryWrite(destination);
        WriteTrailer(destination[SessionHeader.Size..]);
        return true;
    }

    /// <summary>Encodes into a new array.</summary>
    /// <exception cref="InvalidOperationException">The packet breaks its type's length rule (a session request above 256 bytes).</exception>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[FrameLength];
        return TryEncode(bytes, out _) ? bytes : throw new InvalidOperationException($"LENGTH {TrailerLength} is not allowed for {Type}.");
    }

    /// <summary>False when the trailer breaks the type's length rule, so that nothing is sent that a peer must refuse.</summary>
    private protected virtual bool CanEncode() => true;

    private protected virtual void WriteTrailer(Span<byte> destination)
    {
    }
}
