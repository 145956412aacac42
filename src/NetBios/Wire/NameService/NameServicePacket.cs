using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace NetBios.Wire.NameService;

/// <summary>
/// [RFC 1002] 4.2 NAME SERVICE PACKETS: a header, then the question, answer, authority and additional sections.
/// An immutable value; <see cref="TryDecode"/> and <see cref="TryEncode"/> live side by side and round-trip exactly
/// (including an RR_NAME written as the pointer 0xC00C). <see cref="Kind"/> says which §4.2.x packet it is.
/// </summary>
/// <remarks>
/// Hostile input: the decoder checks every count, length and pointer against the bytes actually received before
/// using or allocating from it, and returns false rather than throwing on any input.
/// </remarks>
public sealed partial class NameServicePacket
{
    private const int MinQuestionLength = 2 + 4;       // a pointer + type + class
    private const int MinRecordLength = 2 + 10;        // a pointer + type, class, ttl, rdlength

    /// <summary>Creates a packet; the header's counts are ignored and taken from the lists.</summary>
    public NameServicePacket(
        NameServiceHeader header,
        IReadOnlyList<NameServiceQuestion>? questions = null,
        IReadOnlyList<ResourceRecord>? answers = null,
        IReadOnlyList<ResourceRecord>? authority = null,
        IReadOnlyList<ResourceRecord>? additional = null)
    {
        Questions = questions ?? [];
        Answers = answers ?? [];
        Authority = authority ?? [];
        Additional = additional ?? [];
        Header = header with
        {
            QuestionCount = (ushort)Questions.Count,
            AnswerCount = (ushort)Answers.Count,
            AuthorityCount = (ushort)Authority.Count,
            AdditionalCount = (ushort)Additional.Count,
        };
        Kind = Classify();
    }

    /// <summary>The header (counts match the lists).</summary>
    public NameServiceHeader Header { get; }

    /// <summary>The question section.</summary>
    public IReadOnlyList<NameServiceQuestion> Questions { get; }

    /// <summary>The answer section.</summary>
    public IReadOnlyList<ResourceRecord> Answers { get; }

    /// <summary>The authority section.</summary>
    public IReadOnlyList<ResourceRecord> Authority { get; }

    /// <summary>The additional section.</summary>
    public IReadOnlyList<ResourceRecord> Additional { get; }

    /// <summary>Which RFC 1002 §4.2 packet this is.</summary>
    public NameServicePacketKind Kind { get; }

    /// <summary>Decodes a datagram.</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="packet">The packet.</param>
    /// <param name="error">Why decoding failed.</param>
    /// <returns>False on malformed input; never throws.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out NameServicePacket? packet, out NameServiceDecodeError error)
    {
        packet = null;
        if (!NameServiceHeader.TryRead(datagram, out var header))
        {
            error = NameServiceDecodeError.TruncatedHeader;
            return false;
        }

        int remaining = datagram.Length - NameServiceHeader.Length;
        if ((long)header.QuestionCount * MinQuestionLength
            + ((long)header.AnswerCount + header.AuthorityCount + header.AdditionalCount) * MinRecordLength > remaining)
        {
            error = NameServiceDecodeError.CountsTooLarge;
            return false;
        }

        int offset = NameServiceHeader.Length;
        var questions = new NameServiceQuestion[header.QuestionCount];
        for (int i = 0; i < questions.Length; i++)
        {
            if (!NameCodec.TryRead(datagram, offset, allowPointers: true, out var name, out int consumed))
            {
                error = NameServiceDecodeError.BadQuestionName;
                return false;
            }

            offset += consumed;
            if (offset + 4 > datagram.Length)
            {
                error = NameServiceDecodeError.TruncatedQuestion;
                return false;
            }

            questions[i] = new NameServiceQuestion(name, (RecordType)BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]), BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]));
            offset += 4;
        }

        if (!TryReadRecords(datagram, header, header.AnswerCount, ref offset, out var answers, out error)
            || !TryReadRecords(datagram, header, header.AuthorityCount, ref offset, out var authority, out error)
            || !TryReadRecords(datagram, header, header.AdditionalCount, ref offset, out var additional, out error))
        {
            return false;
        }

        packet = new NameServicePacket(header, questions, answers, authority, additional);
        error = NameServiceDecodeError.None;
        return true;
    }

    /// <summary>Bytes the packet takes on the wire.</summary>
    public int GetEncodedLength()
    {
        int length = NameServiceHeader.Length;
        foreach (var question in Questions)
        {
            length += NameCodec.GetEncodedLength(question.Name) + 4;
        }

        foreach (var record in Answers.Concat(Authority).Concat(Additional))
        {
            length += (record.NameIsPointer ? 2 : NameCodec.GetEncodedLength(record.Name)) + 10 + record.Data.Length;
        }

        return length;
    }

    /// <summary>Encodes the packet.</summary>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        int length = GetEncodedLength();
        if (destination.Length < length)
        {
            return false;
        }

        Header.TryWrite(destination);
        int offset = NameServiceHeader.Length;
        foreach (var question in Questions)
        {
            NameCodec.TryWrite(question.Name, destination[offset..], out int written);
            offset += written;
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)question.Type);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], question.Class);
            offset += 4;
        }

        foreach (var record in Answers.Concat(Authority).Concat(Additional))
        {
            if (record.NameIsPointer)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], 0xC000 | ResourceRecord.QuestionNameOffset);
                offset += 2;
            }
            else
            {
                NameCodec.TryWrite(record.Name, destination[offset..], out int written);
                offset += written;
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)record.Type);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], record.Class);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], record.Ttl);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 8)..], (ushort)record.Data.Length);
            offset += 10;
            record.Data.Write(destination.Slice(offset, record.Data.Length));
            offset += record.Data.Length;
        }

        bytesWritten = offset;
        return true;
    }

    /// <summary>Encodes into a new array.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[GetEncodedLength()];
        TryEncode(bytes, out _);
        return bytes;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind} trn=0x{Header.TransactionId:X4} op={Header.Opcode} flags={Header.Flags} rcode={Header.Rcode} " +
        $"q={string.Join(",", Questions.Select(q => $"{q.Name}/{q.Type}"))} an={Answers.Count} ns={Authority.Count} ar={Additional.Count}";

    private static bool TryReadRecords(ReadOnlySpan<byte> datagram, NameServiceHeader header, int count, ref int offset, out ResourceRecord[] records, out NameServiceDecodeError error)
    {
        records = new ResourceRecord[count];
        for (int i = 0; i < count; i++)
        {
            bool isPointer = offset + 1 < datagram.Length
                && datagram[offset] == 0xC0 && datagram[offset + 1] == ResourceRecord.QuestionNameOffset;
            if (!NameCodec.TryRead(datagram, offset, allowPointers: true, out var name, out int consumed))
            {
                error = NameServiceDecodeError.BadRecordName;
                return false;
            }

            offset += consumed;
            if (offset + 10 > datagram.Length)
            {
                error = NameServiceDecodeError.TruncatedRecord;
                return false;
            }

            var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            ushort recordClass = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(datagram[(offset + 4)..]);
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 8)..]);
            offset += 10;
            if (offset + rdLength > datagram.Length)
            {
                error = NameServiceDecodeError.RdataPastEnd;
                return false;
            }

            var rdata = datagram.Slice(offset, rdLength);
            records[i] = new ResourceRecord(name, type, ttl, ReadData(header, type, rdata, name.Scope), isPointer, recordClass);
            offset += rdLength;
        }

        error = NameServiceDecodeError.None;
        return true;
    }

    private static RecordData ReadData(NameServiceHeader header, RecordType type, ReadOnlySpan<byte> rdata, string scope)
    {
        RecordData? data = null;
        if (header.Opcode == NameServiceOpcode.Wack && header.IsResponse)
        {
            // The WACK's RDATA is the request's flags word, whatever RR_TYPE says (nmbd uses NULL, the RFC NB).
            data = rdata.Length == 2 ? new WackRecordData(BinaryPrimitives.ReadUInt16BigEndian(rdata)) : null;
        }
        else
        {
            data = type switch
            {
                RecordType.NB => NbRecordData.TryRead(rdata),
                RecordType.NBStat => NodeStatusRecordData.TryRead(rdata, scope),
                RecordType.Null when rdata.Length == 0 => NullRecordData.Instance,
                RecordType.A when rdata.Length == 4 => new ARecordData(new IPAddress(rdata)),
                RecordType.NS when NameCodec.TryRead(rdata, 0, allowPointers: false, out var server, out int used) && used == rdata.Length => new NsRecordData(server),
                _ => null,
            };
        }

        return data ?? new RawRecordData(rdata.ToArray());
    }

    private NameServicePacketKind Classify()
    {
        var flags = Header.Flags;
        bool rd = (flags & NameServiceFlags.RecursionDesired) != 0;
        bool ra = (flags & NameServiceFlags.RecursionAvailable) != 0;
        bool aa = (flags & NameServiceFlags.Authoritative) != 0;
        bool oneQuestion = Questions.Count == 1;
        bool oneNbAdditional = Additional.Count == 1 && Additional[0].Data is NbRecordData;
        bool firstAnswerNb = Answers.Count >= 1 && Answers[0].Data is NbRecordData;
        var rcode = Header.Rcode;
        if (!Header.IsResponse)
        {
            return Header.Opcode switch
            {
                NameServiceOpcode.Query when oneQuestion && Answers.Count == 0 => Questions[0].Type switch
                {
                    RecordType.NB => NameServicePacketKind.NameQueryRequest,
                    RecordType.NBStat => NameServicePacketKind.NodeStatusRequest,
                    _ => NameServicePacketKind.Unknown,
                },
                NameServiceOpcode.Registration when oneQuestion && oneNbAdditional =>
                    rd ? NameServicePacketKind.NameRegistrationRequest : NameServicePacketKind.NameOverwriteRequest,
                NameServiceOpcode.Refresh or NameServiceOpcode.Refresh9 when oneQuestion && oneNbAdditional => NameServicePacketKind.NameRefreshRequest,
                NameServiceOpcode.MultiHomedRegistration when oneQuestion && oneNbAdditional => NameServicePacketKind.MultiHomedRegistrationRequest,
                NameServiceOpcode.Release when oneQuestion && oneNbAdditional => NameServicePacketKind.NameReleaseRequest,
                _ => NameServicePacketKind.Unknown,
            };
        }

        switch (Header.Opcode)
        {
            case NameServiceOpcode.Query:
                if (rcode != NameServiceRcode.Ok)
                {
                    return NameServicePacketKind.NegativeQueryResponse;
                }

                if (Answers.Count >= 1 && Answers[0].Type == RecordType.NBStat && Answers[0].Data is NodeStatusRecordData)
                {
                    return NameServicePacketKind.NodeStatusResponse;
                }

                if (firstAnswerNb && Answers[0].Type == RecordType.NB)
                {
                    return NameServicePacketKind.PositiveQueryResponse;
                }

                return Answers.Count == 0 && Authority.Any(r => r.Type == RecordType.NS) && Additional.Any(r => r.Data is ARecordData)
                    ? NameServicePacketKind.RedirectQueryResponse
                    : NameServicePacketKind.Unknown;

            case NameServiceOpcode.Registration or NameServiceOpcode.Refresh or NameServiceOpcode.Refresh9 or NameServiceOpcode.MultiHomedRegistration:
                if (Answers.Count != 1)
                {
                    return NameServicePacketKind.Unknown;
                }

                return rcode switch
                {
                    NameServiceRcode.Ok when aa && rd && !ra => NameServicePacketKind.EndNodeChallengeRegistrationResponse,
                    NameServiceRcode.Ok => NameServicePacketKind.PositiveRegistrationResponse,
                    NameServiceRcode.ConflictError => NameServicePacketKind.NameConflictDemand,
                    _ => NameServicePacketKind.NegativeRegistrationResponse,
                };

            case NameServiceOpcode.Release:
                if (Answers.Count != 1)
                {
                    return NameServicePacketKind.Unknown;
                }

                return rcode == NameServiceRcode.Ok ? NameServicePacketKind.PositiveReleaseResponse : NameServicePacketKind.NegativeReleaseResponse;

            case NameServiceOpcode.Wack:
                return Answers.Count == 1 && Answers[0].Data is WackRecordData ? NameServicePacketKind.WaitForAcknowledgementResponse : NameServicePacketKind.Unknown;

            default:
                return NameServicePacketKind.Unknown;
        }
    }
}
