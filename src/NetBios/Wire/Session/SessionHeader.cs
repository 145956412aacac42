using System.Buffers.Binary;

namespace NetBios.Wire.Session;

/// <summary>
/// [RFC 1002] 4.3.1 GENERAL FORMAT OF SESSION PACKETS: TYPE(8) FLAGS(8) LENGTH(16), where FLAGS bit 0 is E, the
/// 17th bit of LENGTH (maximum 131071).
/// </summary>
/// <remarks>
/// <code>
///                      1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      TYPE     |     FLAGS   |E|            LENGTH             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
/// <param name="Type">TYPE.</param>
/// <param name="Length">LENGTH of the trailer, 0..131071.</param>
public readonly record struct SessionHeader(SessionPacketType Type, int Length)
{
    /// <summary>Header length: 4 bytes.</summary>
    public const int Size = 4;

    /// <summary>Largest trailer: 17 bits.</summary>
    public const int MaxLength = 0x1FFFF;

    /// <summary>Reads and validates a header from its 4 bytes alone (type, flags, per-type length, maximum).</summary>
    /// <param name="source">At least 4 bytes.</param>
    /// <param name="maxMessageLength">Largest SESSION MESSAGE accepted.</param>
    /// <param name="header">The header.</param>
    /// <param name="error">Why it was rejected.</param>
    /// <returns>False when fewer than 4 bytes are given (error None) or the header is invalid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, int maxMessageLength, out SessionHeader header, out SessionFrameError error)
    {
        header = default;
        if (source.Length < Size)
        {
            error = SessionFrameError.None;
            return false;
        }

        var type = (SessionPacketType)source[0];
        byte flags = source[1];
        int length = ((flags & 1) << 16) | BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        header = new SessionHeader(type, length);
        error = (flags & 0xFE) != 0 ? SessionFrameError.ReservedFlags : Validate(type, length, maxMessageLength);
        return error == SessionFrameError.None;
    }

    /// <summary>Checks the RFC 1002 length rule of each type (RELIABILITY §3.1 table).</summary>
    public static SessionFrameError Validate(SessionPacketType type, int length, int maxMessageLength) => type switch
    {
        SessionPacketType.SessionMessage => length > maxMessageLength ? SessionFrameError.TooLong : SessionFrameError.None,
        SessionPacketType.SessionRequest => length is >= 2 and <= 256 ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        SessionPacketType.NegativeSessionResponse => length == 1 ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        SessionPacketType.RetargetSessionResponse => length == 6 ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        SessionPacketType.PositiveSessionResponse or SessionPacketType.SessionKeepAlive or SessionPacketType.LegacyKeepAliveRequest =>
            length == 0 ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        _ => SessionFrameError.UnknownType,
    };

    /// <summary>Writes the header; false when <paramref name="destination"/> is too small.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Length"/> is outside 0..131071 (a caller bug).</exception>
    public bool TryWrite(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Length, MaxLength);
        if (destination.Length < Size)
        {
            return false;
        }

        destination[0] = (byte)Type;
        destination[1] = (byte)(Length >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Length);
        return true;
    }
}
