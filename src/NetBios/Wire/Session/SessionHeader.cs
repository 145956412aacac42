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
/// <para>
/// The other seven FLAGS bits are reserved and must be zero; a header with one set is refused. Per-type lengths are
/// hard rules (Wireshark's <c>dissect_nbss</c> heuristics; docs/RELIABILITY.md §3.1): request 2..256, positive 0,
/// negative 1, retarget 6, keepalive 0, legacy 0x89 0, message 0..maximum. The maximum message length is the
/// caller's choice (at most 131071) so that an oversized frame is refused from its 4 header bytes alone.
/// </para>
/// <para>
/// Not to be confused with SMB2 "direct TCP" on port 445, which reuses TYPE 0x00 with a 24-bit length.
/// </para>
/// </remarks>
/// <param name="Type">TYPE.</param>
/// <param name="Length">LENGTH of the trailer, 0..131071.</param>
public readonly record struct SessionHeader(SessionPacketType Type, int Length)
{
    /// <summary>Header length: 4 bytes.</summary>
    public const int Size = 4;

    /// <summary>Largest trailer: 17 bits (131071).</summary>
    public const int MaxLength = 0x1FFFF;

    /// <summary>Smallest SESSION REQUEST trailer accepted (2).</summary>
    public const int MinRequestLength = 2;

    /// <summary>Largest SESSION REQUEST trailer accepted (256).</summary>
    public const int MaxRequestLength = 256;

    private const byte ExtensionFlag = 0x01;

    /// <summary>Reads and validates a header from its 4 bytes alone (type, flags, per-type length, maximum).</summary>
    /// <param name="source">At least 4 bytes.</param>
    /// <param name="maxMessageLength">Largest SESSION MESSAGE accepted.</param>
    /// <param name="header">The header (also set when only the validation failed, for diagnostics).</param>
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
        int length = ((flags & ExtensionFlag) << 16) | BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        header = new SessionHeader(type, length);
        error = (flags & ~ExtensionFlag) != 0 ? SessionFrameError.ReservedFlags : Validate(type, length, maxMessageLength);
        return error == SessionFrameError.None;
    }

    /// <summary>Checks the RFC 1002 length rule of each type (docs/RELIABILITY.md §3.1 table).</summary>
    /// <param name="type">TYPE.</param>
    /// <param name="length">LENGTH.</param>
    /// <param name="maxMessageLength">Largest SESSION MESSAGE accepted.</param>
    /// <returns><see cref="SessionFrameError.None"/> when acceptable, otherwise the reason.</returns>
    public static SessionFrameError Validate(SessionPacketType type, int length, int maxMessageLength) => type switch
    {
        SessionPacketType.SessionMessage => length > maxMessageLength ? SessionFrameError.TooLong : SessionFrameError.None,
        SessionPacketType.SessionRequest => length is >= MinRequestLength and <= MaxRequestLength ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        SessionPacketType.NegativeSessionResponse => length == 1 ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        SessionPacketType.RetargetSessionResponse => length == 6 ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        SessionPacketType.PositiveSessionResponse or SessionPacketType.SessionKeepAlive or SessionPacketType.LegacyKeepAliveRequest =>
            length == 0 ? SessionFrameError.None : SessionFrameError.BadLengthForType,
        _ => SessionFrameError.UnknownType,
    };

    /// <summary>Writes the header; false when <paramref name="destination"/> is too small.</summary>
    /// <param name="destination">Where to write.</param>
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

    /// <summary>
    /// [RFC 1002] 4.3.6 SESSION MESSAGE PACKET: writes only the 4-byte header of a message whose
    /// <paramref name="payloadLength"/> bytes the caller sends next (the codec never copies the payload).
    /// </summary>
    /// <param name="destination">At least 4 bytes.</param>
    /// <param name="payloadLength">0..131071; the E bit is set above 65535.</param>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="payloadLength"/> is outside 0..131071.</exception>
    public static bool TryWriteMessageHeader(Span<byte> destination, int payloadLength) =>
        new SessionHeader(SessionPacketType.SessionMessage, payloadLength).TryWrite(destination);
}
