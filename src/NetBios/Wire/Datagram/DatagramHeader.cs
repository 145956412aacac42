using System.Buffers.Binary;
using System.Net;

namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.1 NetBIOS DATAGRAM HEADER: the 10 bytes every datagram service packet starts with.</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   MSG_TYPE    |     FLAGS     |           DGM_ID              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SOURCE_IP                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          SOURCE_PORT          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
/// <param name="Type">MSG_TYPE.</param>
/// <param name="Flags">FLAGS.</param>
/// <param name="DatagramId">DGM_ID.</param>
/// <param name="SourceAddress">SOURCE_IP.</param>
/// <param name="SourcePort">SOURCE_PORT.</param>
public readonly record struct DatagramHeader(DatagramMessageType Type, DatagramFlags Flags, ushort DatagramId, IPAddress SourceAddress, ushort SourcePort)
{
    /// <summary>Header length: 10 bytes.</summary>
    public const int Length = 10;

    /// <summary>Reads a header; false when fewer than 10 bytes are given.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out DatagramHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }

        header = new DatagramHeader((DatagramMessageType)source[0], (DatagramFlags)source[1], BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            new IPAddress(source.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(source[8..]));
        return true;
    }

    /// <summary>Writes the header; false when <paramref name="destination"/> is shorter than 10 bytes.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            return false;
        }

        destination[0] = (byte)Type;
        destination[1] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], DatagramId);
        SourceAddress.TryWriteBytes(destination.Slice(4, 4), out _);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], SourcePort);
        return true;
    }
}
