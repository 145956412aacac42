using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace NetBios.Wire.Datagram;

/// <summary>
/// [RFC 1002] 4.4 DATAGRAM SERVICE PACKETS. The three shapes are <see cref="UserDatagram"/> (0x10–0x12),
/// <see cref="DatagramErrorPacket"/> (0x13) and <see cref="DatagramQueryPacket"/> (0x14–0x16). Decoding never
/// throws; names may not use label pointers ("they cannot be used in … Datagram Service packets").
/// </summary>
/// <remarks>
/// <para>
/// Lengths are strict: a packet decodes only when every byte of the UDP payload belongs to a field, so a decoded
/// packet always re-encodes to exactly the bytes received. For 0x10–0x12, DGM_LENGTH must equal the bytes after the
/// 14-byte fixed part. RFC 1002 §4.4.2: "DGM_LENGTH is the number of bytes in user data plus the sizes of the
/// SOURCE_NAME and DESTINATION_NAME fields". In the sample captures (Samba nmbd, impacket) every one of the 26 NBDS
/// packets satisfies DGM_LENGTH = UDP payload − 14 exactly, and Samba's and Windows' senders compute it that way, so a
/// disagreement means a broken or hostile sender: a DGM_LENGTH larger than the bytes present is never trusted (nothing
/// is read or allocated from it), and a smaller one leaves bytes no field accounts for; both are
/// <see cref="DatagramDecodeError.BadLength"/>.
/// </para>
/// <para>
/// Not checked here (left to the datagram service): the reserved FLAGS bits, PACKET_OFFSET against a reassembly
/// buffer, and whether the error code is one of the three the RFC defines. They are kept as received.
/// </para>
/// </remarks>
public abstract record DatagramPacket(DatagramHeader Header)
{
    /// <summary>Decodes a UDP payload (the whole datagram service packet).</summary>
    /// <param name="datagram">The UDP payload.</param>
    /// <param name="packet">The packet; user data is copied out of <paramref name="datagram"/>.</param>
    /// <param name="error">Why it failed.</param>
    /// <returns>False on malformed input, with the reason; never throws.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> datagram, [NotNullWhen(true)] out DatagramPacket? packet, out DatagramDecodeError error)
    {
        packet = null;
        if (!DatagramHeader.TryRead(datagram, out var header))
        {
            error = DatagramDecodeError.Truncated;
            return false;
        }

        switch (header.Type)
        {
            case DatagramMessageType.DirectUnique or DatagramMessageType.DirectGroup or DatagramMessageType.Broadcast:
                return UserDatagram.TryDecodeBody(header, datagram, out packet, out error);
            case DatagramMessageType.Error:
                if (datagram.Length < DatagramHeader.Length + 1)
                {
                    error = DatagramDecodeError.Truncated;
                    return false;
                }

                if (datagram.Length > DatagramHeader.Length + 1)
                {
                    error = DatagramDecodeError.TrailingBytes;
                    return false;
                }

                packet = new DatagramErrorPacket(header, (DatagramErrorCode)datagram[DatagramHeader.Length]);
                error = DatagramDecodeError.None;
                return true;
            case DatagramMessageType.QueryRequest or DatagramMessageType.PositiveQueryResponse or DatagramMessageType.NegativeQueryResponse:
                if (!NameCodec.TryRead(datagram, DatagramHeader.Length, allowPointers: false, out var destination, out int nameLength))
                {
                    error = DatagramDecodeError.BadDestinationName;
                    return false;
                }

                if (DatagramHeader.Length + nameLength != datagram.Length)
                {
                    error = DatagramDecodeError.TrailingBytes;
                    return false;
                }

                packet = new DatagramQueryPacket(header, destination);
                error = DatagramDecodeError.None;
                return true;
            default:
                error = DatagramDecodeError.UnknownType;
                return false;
        }
    }

    /// <summary>Bytes the packet takes on the wire.</summary>
    public abstract int GetEncodedLength();

    /// <summary>Encodes the packet; false when <paramref name="destination"/> is too small.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Bytes written (0 on failure).</param>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = GetEncodedLength();
        if (destination.Length < bytesWritten || !CanEncode())
        {
            bytesWritten = 0;
            return false;
        }

        Header.TryWrite(destination);
        WriteBody(destination[DatagramHeader.Length..]);
        return true;
    }

    /// <summary>Encodes into a new array.</summary>
    /// <exception cref="InvalidOperationException">The packet cannot be encoded (DGM_LENGTH above 65535).</exception>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[GetEncodedLength()];
        return TryEncode(bytes, out _) ? bytes : throw new InvalidOperationException("The packet is too long to encode (DGM_LENGTH above 65535).");
    }

    /// <summary>False when a field does not fit its wire width; the base packets always fit.</summary>
    private protected virtual bool CanEncode() => true;

    private protected abstract void WriteBody(Span<byte> destination);
}
