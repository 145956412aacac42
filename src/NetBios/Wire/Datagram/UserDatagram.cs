using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NetBios.Wire.Datagram;

/// <summary>
/// [RFC 1002] 4.4.2 DIRECT_UNIQUE, DIRECT_GROUP, &amp; BROADCAST DATAGRAM: DGM_LENGTH, PACKET_OFFSET, SOURCE_NAME,
/// DESTINATION_NAME and this fragment's USER_DATA. DGM_LENGTH counts the two names and the user data.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   MSG_TYPE    |     FLAGS     |           DGM_ID              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SOURCE_IP                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          SOURCE_PORT          |          DGM_LENGTH           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         PACKET_OFFSET         |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// /                 SOURCE_NAME, DESTINATION_NAME                 /
/// /                           USER_DATA                           /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Fragments: unfragmented F=1 M=0; first F=1 M=1; middle F=0 M=1; last F=0 M=0; the names are repeated in every
/// fragment and PACKET_OFFSET is the offset of this fragment's user data in the whole datagram (see
/// <see cref="Fragment"/>). Decoding rules: see <see cref="DatagramPacket"/>.
/// </remarks>
/// <param name="Header">The header (type, flags, DGM_ID, source IP and port).</param>
/// <param name="PacketOffset">PACKET_OFFSET: where this fragment's user data starts in the whole datagram.</param>
/// <param name="SourceName">SOURCE_NAME.</param>
/// <param name="DestinationName">DESTINATION_NAME (<c>*</c> for broadcast datagrams).</param>
/// <param name="UserData">USER_DATA of this fragment.</param>
public sealed record UserDatagram(DatagramHeader Header, ushort PacketOffset, NetBiosName SourceName, NetBiosName DestinationName, ReadOnlyMemory<byte> UserData)
    : DatagramPacket(Header)
{
    /// <summary>Bytes before the names: the header, DGM_LENGTH and PACKET_OFFSET (14).</summary>
    public const int FixedLength = DatagramHeader.Length + 4;

    /// <summary>RFC 1002 §6 MAX_DATAGRAM_LENGTH: 576, the default fragment size of <see cref="Fragment"/>.</summary>
    public const int DefaultMaxPacketLength = 576;

    /// <summary>Largest UDP payload over IPv4 (65535 − 20 − 8).</summary>
    public const int MaxUdpPayloadLength = 65_507;

    /// <summary>DGM_LENGTH as it goes on the wire.</summary>
    public int DatagramLength => NameCodec.GetEncodedLength(SourceName) + NameCodec.GetEncodedLength(DestinationName) + UserData.Length;

    /// <summary>True for the first fragment (F).</summary>
    public bool IsFirst => Header.Flags.IsFirstFragment();

    /// <summary>True when more fragments follow (M).</summary>
    public bool HasMore => Header.Flags.HasMoreFragments();

    /// <summary>True when this packet is a whole datagram (F=1, M=0).</summary>
    public bool IsUnfragmented => IsFirst && !HasMore;

    /// <summary>Builds an unfragmented datagram (F=1, M=0, PACKET_OFFSET 0).</summary>
    /// <param name="type">0x10, 0x11 or 0x12.</param>
    /// <param name="datagramId">DGM_ID.</param>
    /// <param name="source">SOURCE_IP (IPv4) and SOURCE_PORT.</param>
    /// <param name="sourceName">SOURCE_NAME.</param>
    /// <param name="destinationName">DESTINATION_NAME.</param>
    /// <param name="userData">USER_DATA; not copied.</param>
    /// <param name="nodeType">SNT, the sender's node type.</param>
    /// <exception cref="ArgumentException">The type is not a user datagram type, the address is not IPv4, or DGM_LENGTH would exceed 65535.</exception>
    public static UserDatagram Create(DatagramMessageType type, ushort datagramId, IPEndPoint source, NetBiosName sourceName, NetBiosName destinationName,
        ReadOnlyMemory<byte> userData, DatagramSourceNodeType nodeType = DatagramSourceNodeType.BNode)
    {
        CheckArguments(type, source);
        var datagram = new UserDatagram(
            new DatagramHeader(type, DatagramFlags.First.WithSourceNodeType(nodeType), datagramId, source.Address, (ushort)source.Port),
            0, sourceName, destinationName, userData);
        if (datagram.DatagramLength > ushort.MaxValue)
        {
            throw new ArgumentException($"DGM_LENGTH would be {datagram.DatagramLength}; at most 65535.", nameof(userData));
        }

        return datagram;
    }

    /// <summary>
    /// Splits <paramref name="userData"/> into RFC 1002 fragments that each fit <paramref name="maxPacketLength"/>
    /// bytes of UDP payload: first F=1 M=1, middle F=0 M=1, last F=0 M=0 (a single one, or empty data, is F=1 M=0);
    /// the names are repeated in every fragment and PACKET_OFFSET is the offset of the fragment's data.
    /// </summary>
    /// <param name="type">0x10, 0x11 or 0x12.</param>
    /// <param name="datagramId">DGM_ID, the same in every fragment.</param>
    /// <param name="source">SOURCE_IP (IPv4) and SOURCE_PORT.</param>
    /// <param name="sourceName">SOURCE_NAME.</param>
    /// <param name="destinationName">DESTINATION_NAME.</param>
    /// <param name="userData">The whole user payload; the fragments are slices of it (not copied).</param>
    /// <param name="maxPacketLength">Largest UDP payload per fragment; RFC 1002 §6 MAX_DATAGRAM_LENGTH 576 by default.</param>
    /// <param name="nodeType">SNT, the sender's node type.</param>
    /// <exception cref="ArgumentException">
    /// The type is not a user datagram type, the address is not IPv4, the names alone do not leave a byte of room,
    /// <paramref name="maxPacketLength"/> is above 65507, or the data needs a PACKET_OFFSET above 65535.
    /// </exception>
    public static IReadOnlyList<UserDatagram> Fragment(DatagramMessageType type, ushort datagramId, IPEndPoint source, NetBiosName sourceName,
        NetBiosName destinationName, ReadOnlyMemory<byte> userData, int maxPacketLength = DefaultMaxPacketLength,
        DatagramSourceNodeType nodeType = DatagramSourceNodeType.BNode)
    {
        CheckArguments(type, source);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacketLength, MaxUdpPayloadLength);
        int room = maxPacketLength - FixedLength - NameCodec.GetEncodedLength(sourceName) - NameCodec.GetEncodedLength(destinationName);
        ArgumentOutOfRangeException.ThrowIfLessThan(room, 1, nameof(maxPacketLength));

        // The last fragment starts at most at PACKET_OFFSET 65535.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(userData.Length, ushort.MaxValue + room, nameof(userData));
        var fragments = new List<UserDatagram>((userData.Length / room) + 1);
        int offset = 0;
        do
        {
            int length = Math.Min(room, userData.Length - offset);
            bool first = offset == 0;
            bool more = offset + length < userData.Length;
            var flags = (first ? DatagramFlags.First : DatagramFlags.None) | (more ? DatagramFlags.More : DatagramFlags.None);
            fragments.Add(new UserDatagram(new DatagramHeader(type, flags.WithSourceNodeType(nodeType), datagramId, source.Address, (ushort)source.Port),
                (ushort)offset, sourceName, destinationName, userData.Slice(offset, length)));
            offset += length;
        }
        while (offset < userData.Length);
        return fragments;
    }

    /// <inheritdoc/>
    public override int GetEncodedLength() => FixedLength + DatagramLength;

    /// <inheritdoc/>
    public bool Equals(UserDatagram? other) =>
        other is not null && Header == other.Header && PacketOffset == other.PacketOffset && SourceName == other.SourceName
        && DestinationName == other.DestinationName && UserData.Span.SequenceEqual(other.UserData.Span);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Header, PacketOffset, SourceName, DestinationName, UserData.Length);

    internal static bool TryDecodeBody(DatagramHeader header, ReadOnlySpan<byte> datagram, out DatagramPacket? packet, out DatagramDecodeError error)
    {
        packet = null;
        if (datagram.Length < FixedLength)
        {
            error = DatagramDecodeError.Truncated;
            return false;
        }

        int dgmLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[DatagramHeader.Length..]);
        ushort packetOffset = BinaryPrimitives.ReadUInt16BigEndian(datagram[(DatagramHeader.Length + 2)..]);

        // DGM_LENGTH is checked against the bytes received before anything is read or allocated from it, and must
        // account for every byte after the fixed part (see DatagramPacket remarks: the captures agree exactly).
        if (dgmLength != datagram.Length - FixedLength)
        {
            error = DatagramDecodeError.BadLength;
            return false;
        }

        if (!NameCodec.TryRead(datagram, FixedLength, allowPointers: false, out var source, out int sourceLength))
        {
            error = DatagramDecodeError.BadSourceName;
            return false;
        }

        if (!NameCodec.TryRead(datagram, FixedLength + sourceLength, allowPointers: false, out var destination, out int destinationLength))
        {
            error = DatagramDecodeError.BadDestinationName;
            return false;
        }

        int dataStart = FixedLength + sourceLength + destinationLength;
        packet = new UserDatagram(header, packetOffset, source, destination, datagram[dataStart..].ToArray());
        error = DatagramDecodeError.None;
        return true;
    }

    private protected override bool CanEncode() => DatagramLength <= ushort.MaxValue;

    private protected override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)DatagramLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], PacketOffset);
        NameCodec.TryWrite(SourceName, destination[4..], out int sourceLength);
        NameCodec.TryWrite(DestinationName, destination[(4 + sourceLength)..], out int destinationLength);
        UserData.Span.CopyTo(destination[(4 + sourceLength + destinationLength)..]);
    }

    private static void CheckArguments(DatagramMessageType type, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (type is not (DatagramMessageType.DirectUnique or DatagramMessageType.DirectGroup or DatagramMessageType.Broadcast))
        {
            throw new ArgumentException($"MSG_TYPE 0x{(byte)type:X2} is not a user datagram (0x10–0x12).", nameof(type));
        }

        if (source.Address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("SOURCE_IP is an IPv4 address.", nameof(source));
        }
    }
}
