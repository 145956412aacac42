using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

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
/// SOURCE_IP is an IPv4 address (NetBIOS over TCP/IP is IPv4 only); an IPv6 address is refused when the header is
/// built. <c>default(DatagramHeader)</c> has no address and encodes 0.0.0.0.
/// </remarks>
/// <param name="Type">MSG_TYPE.</param>
/// <param name="Flags">FLAGS (M, F, SNT; reserved bits kept as received).</param>
/// <param name="DatagramId">DGM_ID: with SOURCE_IP it identifies the fragments of one datagram.</param>
/// <param name="SourceAddress">SOURCE_IP (IPv4).</param>
/// <param name="SourcePort">SOURCE_PORT (normally 138).</param>
public readonly record struct DatagramHeader(DatagramMessageType Type, DatagramFlags Flags, ushort DatagramId, IPAddress SourceAddress, ushort SourcePort)
{
    /// <summary>Header length: 10 bytes.</summary>
    public const int Length = 10;

    /// <summary>SOURCE_IP (IPv4).</summary>
    /// <exception cref="ArgumentException">Set to an address that is not IPv4.</exception>
    public IPAddress SourceAddress
    {
        get;
        init => field = CheckIPv4(value);
    } = CheckIPv4(SourceAddress);

    /// <summary>The source end-node type carried in FLAGS (SNT).</summary>
    public DatagramSourceNodeType SourceNodeType => Flags.GetSourceNodeType();

    /// <summary>Reads a header; false when fewer than 10 bytes are given. Any MSG_TYPE byte is read as is.</summary>
    /// <param name="source">The datagram.</param>
    /// <param name="header">The header.</param>
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
    /// <param name="destination">Where to write.</param>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            return false;
        }

        destination[0] = (byte)Type;
        destination[1] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], DatagramId);
        if (SourceAddress is null || !SourceAddress.TryWriteBytes(destination.Slice(4, 4), out _))
        {
            destination.Slice(4, 4).Clear();
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], SourcePort);
        return true;
    }

    // Null is let through so that default(DatagramHeader) and `with` on it behave alike; it encodes as 0.0.0.0.
    private static IPAddress CheckIPv4(IPAddress value) =>
        value is null || value.AddressFamily == AddressFamily.InterNetwork
            ? value!
            : throw new ArgumentException("SOURCE_IP is an IPv4 address.", nameof(value));
}
