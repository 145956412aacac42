using System.Buffers.Binary;

namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.1 HEADER of every name service packet (12 bytes).</summary>
/// <remarks>
/// <code>
///                      1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         NAME_TRN_ID           |R| OPCODE|   NM_FLAGS  | RCODE |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          QDCOUNT              |           ANCOUNT             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          NSCOUNT              |           ARCOUNT             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// NM_FLAGS is AA, TC, RD, RA, 0, 0, B. The counts are set by the encoder from the packet's lists.
/// </remarks>
/// <param name="TransactionId">NAME_TRN_ID.</param>
/// <param name="IsResponse">R: response (1) or request (0).</param>
/// <param name="Opcode">OPCODE.</param>
/// <param name="Flags">NM_FLAGS.</param>
/// <param name="Rcode">RCODE.</param>
/// <param name="QuestionCount">QDCOUNT.</param>
/// <param name="AnswerCount">ANCOUNT.</param>
/// <param name="AuthorityCount">NSCOUNT.</param>
/// <param name="AdditionalCount">ARCOUNT.</param>
public readonly record struct NameServiceHeader(
    ushort TransactionId,
    bool IsResponse,
    NameServiceOpcode Opcode,
    NameServiceFlags Flags,
    NameServiceRcode Rcode,
    ushort QuestionCount = 0,
    ushort AnswerCount = 0,
    ushort AuthorityCount = 0,
    ushort AdditionalCount = 0)
{
    /// <summary>Header length: 12 bytes.</summary>
    public const int Length = 12;

    private const ushort ResponseBit = 0x8000;
    private const ushort FlagMask = 0x07F0; // AA TC RD RA, two reserved bits (kept so that packets re-encode exactly), B

    /// <summary>The 16-bit word after NAME_TRN_ID: R, OPCODE, NM_FLAGS, RCODE.</summary>
    public ushort FlagsWord => (ushort)((IsResponse ? ResponseBit : 0) | ((int)Opcode << 11) | (ushort)Flags | (byte)Rcode);

    /// <summary>Reads a header.</summary>
    /// <returns>False when fewer than 12 bytes are given.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out NameServiceHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }

        ushort word = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        header = new NameServiceHeader(
            BinaryPrimitives.ReadUInt16BigEndian(source),
            (word & ResponseBit) != 0,
            (NameServiceOpcode)((word >> 11) & 0xF),
            (NameServiceFlags)(word & FlagMask),
            (NameServiceRcode)(word & 0xF),
            BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[10..]));
        return true;
    }

    /// <summary>Writes the header.</summary>
    /// <returns>False when <paramref name="destination"/> is shorter than 12 bytes.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], FlagsWord);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], AdditionalCount);
        return true;
    }
}
