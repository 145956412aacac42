using System.Buffers.Binary;
using System.Net;

namespace NetBios.Wire.Datagram;

/// <summary>
/// [RFC 1002] 4.4.2 DIRECT_UNIQUE, DIRECT_GROUP, &amp; BROADCAST DATAGRAM: DGM_LENGTH, PACKET_OFFSET, SOURCE_NAME,
/// DESTINATION_NAME and this fragment's USER_DATA. DGM_LENGTH counts the two names and the user data.
/// </summary>
/// <param name="Header">The header (type, flags, DGM_ID, source IP and port).</param>
/// <param name="PacketOffset">PACKET_OFFSET: where this fragment's user data starts in the whole datagram.</param>
/// <param name="SourceName">SOURCE_NAME.</param>
/// <param name="DestinationName">DESTINATION_NAME (<c>*</c> for broadcast datagrams).</param>
/// <param name="UserData">USER_DATA of this fragment.</param>
public sealed record UserDatagram(DatagramHeader Header, ushort PacketOffset, NetBiosName SourceName, NetBiosName DestinationName, ReadOnlyMemory<byte> UserData)
    : DatagramPacket(Header)
{
    /// <summary>Bytes before the names: the header, DGM_LENGTH and PACKET_OFFSET.</summary>
    public const int FixedLength = DatagramHeader.Length + 4;

    /// <summary>DGM_LENGTH as it goes on the wire.</summary>
    public int DatagramLength => NameCodec.GetEncodedLength(SourceName) + NameCodec.GetEncodedLength(DestinationName) + UserData.Length;

    /// <summary>True for the first fragment (F).</summary>
    public bool IsFirst => (Header.Flags & DatagramFlags.First) != 0;

    /// <summary>True when more fragments follow (M).</summary>
    public bool HasMore => (Header.Flags & DatagramFlags.More) != 0;

    /// <summary>Builds an unfragmented datagram (F=1, M=0).</summary>
    public static UserDatagram Create(DatagramMessageType type, ushort datagramId, IPEndPoint source, NetBiosName sourceName, NetBiosName destinationName,
        ReadOnlyMemory<byte> userData, DatagramFlags nodeType = DatagramFlags.None)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new UserDatagram(new DatagramHeader(type, DatagramFlags.First | (nodeType & DatagramFlags.SourceNodeTypeMask), datagramId, source.Address, (ushort)source.Port),
            0, sourceName, destinationName, userData);
    }

    /// <summary>
    /// Splits <paramref name="userData"/> into RFC 1002 fragments that each fit <paramref name="maxPacketLength"/>
    /// bytes: first F=1 M=1, middle F=0 M=1, last F=0 M=0 (a single one is F=1 M=0); the names are repeated in every
    /// fragment and PACKET_OFFSET is the offset of the fragment's data.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The names alone do not fit, or the data needs offsets above 65535.</exception>
    public static IReadOnlyList<UserDatagram> Fragment(DatagramMessageType type, ushort datagramId, IPEndPoint source, NetBiosName sourceName,
        NetBiosName destinationName, ReadOnlyMemory<byte> userData, int maxPacketLength = 576, DatagramFlags nodeType = DatagramFlags.None)
    {
        ArgumentNullException.ThrowIfNull(source);
        int room = maxPacketLength - FixedLength - NameCodec.GetEncodedLength(sourceName) - NameCodec.GetEncodedLength(destinationName);
        ArgumentOutOfRangeException.ThrowIfLessThan(room, 1, nameof(maxPacketLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(userData.Length, ushort.MaxValue + room, nameof(userData));
        var fragments = new List<UserDatagram>();
        int offset = 0;
        do
        {
            int length = Math.Min(room, userData.Length - offset);
            bool first = offset == 0;
            bool more = offset + length < userData.Length;
            var flags = (nodeType & DatagramFlags.SourceNodeTypeMask) | (first ? DatagramFlags.First : 0) | (more ? DatagramFlags.More : 0);
            fragments.Add(new UserDatagram(new DatagramHeader(type, flags, datagramId, source.Address, (ushort)source.Port),
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

        // DGM_LENGTH is checked against the bytes received before it is used; bytes after it are padding.
        if (dgmLength > datagram.Length - FixedLength)
        {
            error = DatagramDecodeError.BadLength;
            return false;
        }

        var body = datagram[..(FixedLength + dgmLength)];
        if (!NameCodec.TryRead(body, FixedLength, allowPointers: false, out var source, out int sourceLength))
        {
            error = DatagramDecodeError.BadSourceName;
            return false;
        }

        if (!NameCodec.TryRead(body, FixedLength + sourceLength, allowPointers: false, out var destination, out int destinationLength))
        {
            error = DatagramDecodeError.BadDestinationName;
            return false;
        }

        int dataStart = FixedLength + sourceLength + destinationLength;
        packet = new UserDatagram(header, packetOffset, source, destination, body[dataStart..].ToArray());
        error = DatagramDecodeError.None;
        return true;
    }

    private protected override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)DatagramLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], PacketOffset);
        NameCodec.TryWrite(SourceName, destination[4..], out int sourceLength);
        NameCodec.TryWrite(DestinationName, destination[(4 + sourceLength)..], out int destinationLength);
        UserData.Span.CopyTo(destination[(4 + sourceLength + destinationLength)..]);
    }
}
