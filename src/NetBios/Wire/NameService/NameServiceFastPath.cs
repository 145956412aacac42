using System.Buffers.Binary;

namespace NetBios.Wire.NameService;

/// <summary>
/// Allocation-free reading of a NAME QUERY REQUEST and writing of its POSITIVE NAME QUERY RESPONSE
/// (RFC 1002 §4.2.12–4.2.13): the hot path of a responder. Names without a scope allocate nothing.
/// </summary>
public static class NameServiceFastPath
{
    /// <summary>Reads a request with exactly one question and no records.</summary>
    /// <returns>False for anything else (the caller then uses the full decoder).</returns>
    public static bool TryReadQuery(ReadOnlySpan<byte> datagram, out NameServiceHeader header, out NetBiosName questionName, out RecordType questionType)
    {
        questionName = default;
        questionType = default;
        if (!NameServiceHeader.TryRead(datagram, out header)
            || header.IsResponse || header.Opcode != NameServiceOpcode.Query
            || header.QuestionCount != 1 || header.AnswerCount != 0 || header.AuthorityCount != 0 || header.AdditionalCount != 0
            || !NameCodec.TryRead(datagram, NameServiceHeader.Length, allowPointers: true, out questionName, out int consumed))
        {
            return false;
        }

        int offset = NameServiceHeader.Length + consumed;
        if (offset + 4 > datagram.Length || BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]) != NameServiceQuestion.ClassIn)
        {
            return false;
        }

        questionType = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
        return true;
    }

    /// <summary>Writes the same bytes as <see cref="NameServicePacket.CreatePositiveQueryResponse"/> with one entry.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="transactionId">The request's NAME_TRN_ID.</param>
    /// <param name="name">The name.</param>
    /// <param name="ttl">TTL in seconds.</param>
    /// <param name="flags">NB_FLAGS.</param>
    /// <param name="ipv4">The address, in network order as a big-endian integer.</param>
    /// <param name="bytesWritten">Bytes written.</param>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public static bool TryWritePositiveQueryResponse(Span<byte> destination, ushort transactionId, NetBiosName name, uint ttl, NbFlags flags, uint ipv4, out int bytesWritten) =>
        TryWritePositiveQueryResponse(destination, transactionId, name, ttl, flags, new ReadOnlySpan<uint>(in ipv4), out bytesWritten);

    /// <summary>
    /// Writes a POSITIVE NAME QUERY RESPONSE (RFC 1002 §4.2.13) with several NB entries (a name server's answer for a
    /// special group or a multi-homed name): the same bytes as <see cref="NameServicePacket.CreatePositiveQueryResponse"/>.
    /// </summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="transactionId">The request's NAME_TRN_ID.</param>
    /// <param name="name">The name.</param>
    /// <param name="ttl">TTL in seconds.</param>
    /// <param name="flags">NB_FLAGS of every entry.</param>
    /// <param name="ipv4">The addresses, each in network order as a big-endian integer (at least one).</param>
    /// <param name="bytesWritten">Bytes written.</param>
    /// <returns>False when <paramref name="destination"/> is too small or the list is empty.</returns>
    internal static bool TryWritePositiveQueryResponse(Span<byte> destination, ushort transactionId, NetBiosName name, uint ttl, NbFlags flags,
        ReadOnlySpan<uint> ipv4, out int bytesWritten)
    {
        bytesWritten = 0;
        int nameLength = NameCodec.GetEncodedLength(name);
        int length = NameServiceHeader.Length + nameLength + 10 + (ipv4.Length * NbAddressEntry.Length);
        if (ipv4.IsEmpty || destination.Length < length || ipv4.Length * NbAddressEntry.Length > ushort.MaxValue)
        {
            return false;
        }

        new NameServiceHeader(transactionId, true, NameServiceOpcode.Query, NameServiceFlags.Authoritative | NameServiceFlags.RecursionDesired, NameServiceRcode.Ok, 0, 1, 0, 0)
            .TryWrite(destination);
        NameCodec.TryWrite(name, destination[NameServiceHeader.Length..], out _);
        var record = destination[(NameServiceHeader.Length + nameLength)..];
        BinaryPrimitives.WriteUInt16BigEndian(record, (ushort)RecordType.NB);
        BinaryPrimitives.WriteUInt16BigEndian(record[2..], NameServiceQuestion.ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(record[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(record[8..], (ushort)(ipv4.Length * NbAddressEntry.Length));
        var entries = record[10..];
        for (int i = 0; i < ipv4.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(entries[(i * NbAddressEntry.Length)..], (ushort)flags);
            BinaryPrimitives.WriteUInt32BigEndian(entries[((i * NbAddressEntry.Length) + 2)..], ipv4[i]);
        }

        bytesWritten = length;
        return true;
    }
}
