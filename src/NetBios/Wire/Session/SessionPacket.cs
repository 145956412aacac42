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

    /// <summary>Decodes a whole control frame (header and trailer).</summary>
    /// <returns>False on malformed input; never throws. Session messages are not decoded here.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> frame, [NotNullWhen(true)] out SessionPacket? packet, out SessionFrameError error)
    {
        packet = null;
        if (!SessionHeader.TryRead(frame, SessionHeader.MaxLength, out var header, out error))
        {
            error = error == SessionFrameError.None ? SessionFrameError.BadBody : error;
            return false;
        }

        if (frame.Length != SessionHeader.Size + header.Length)
        {
            error = SessionFrameError.BadBody;
            return false;
        }

        var body = frame[SessionHeader.Size..];
        packet = header.Type switch
        {
            SessionPacketType.SessionRequest => SessionRequest.TryDecodeBody(body),
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

    /// <summary>Bytes of the whole frame.</summary>
    public int FrameLength => SessionHeader.Size + TrailerLength;

    /// <summary>Encodes the whole frame; false when <paramref name="destination"/> is too small.</summary>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = FrameLength;
        if (destination.Length < bytesWritten)
        {
            bytesWritten = 0;
            return false;
        }

        new SessionHeader(Type, TrailerLength).TryWrite(destination);
        WriteTrailer(destination[SessionHeader.Size..]);
        return true;
    }

    /// <summary>Encodes into a new array.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[FrameLength];
        TryEncode(bytes, out _);
        return bytes;
    }

    private protected virtual void WriteTrailer(Span<byte> destination)
    {
    }
}
