using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace NetBios.Wire.Datagram;

/// <summary>
/// [RFC 1002] 4.4 DATAGRAM SERVICE PACKETS. The three shapes are <see cref="UserDatagram"/> (0x10–0x12),
/// <see cref="DatagramErrorPacket"/> (0x13) and <see cref="DatagramQueryPacket"/> (0x14–0x16). Decoding never
/// throws; names may not use label pointers ("they cannot be used in … Datagram Service packets").
/// </summary>
public abstract record DatagramPacket(DatagramHeader Header)
{
    /// <summary>Decodes a UDP payload.</summary>
    /// <returns>False on malformed input, with the reason.</returns>
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

                packet = new DatagramErrorPacket(header, (DatagramErrorCode)datagram[DatagramHeader.Length]);
                error = DatagramDecodeError.None;
                return true;
            case DatagramMessageType.QueryRequest or DatagramMessageType.PositiveQueryResponse or DatagramMessageType.NegativeQueryResponse:
                if (!NameCodec.TryRead(datagram, DatagramHeader.Length, allowPointers: false, out var destination, out _))
                {
                    error = DatagramDecodeError.BadDestinationName;
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
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = GetEncodedLength();
        if (destination.Length < bytesWritten)
        {
            bytesWritten = 0;
            return false;
        }

        Header.TryWrite(destination);
        WriteBody(destination[DatagramHeader.Length..]);
        return true;
    }

    /// <summary>Encodes into a new array.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[GetEncodedLength()];
        TryEncode(bytes, out _);
        return bytes;
    }

    private protected abstract void WriteBody(Span<byte> destination);
}
