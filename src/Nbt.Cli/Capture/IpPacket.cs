using System.Buffers.Binary;
using System.Net;

namespace Nbt.Cli.Capture;

/// <summary>A UDP datagram or TCP segment carried in IPv4, taken from one capture record.</summary>
/// <param name="Frame">Frame number.</param>
/// <param name="IsTcp">TCP (true) or UDP (false).</param>
/// <param name="Source">Source address and port.</param>
/// <param name="Destination">Destination address and port.</param>
/// <param name="Payload">UDP payload or TCP segment data.</param>
/// <param name="Sequence">TCP sequence number (0 for UDP).</param>
/// <param name="TcpFlags">TCP flags byte (0 for UDP).</param>
internal sealed record IpPacket(int Frame, bool IsTcp, IPEndPoint Source, IPEndPoint Destination, ReadOnlyMemory<byte> Payload, uint Sequence, byte TcpFlags)
{
    /// <summary>TCP SYN.</summary>
    public bool Syn => (TcpFlags & 0x02) != 0;

    /// <summary>
    /// Takes the IPv4 UDP or TCP packet out of a record of link type Ethernet (1, with 802.1Q/802.1ad tags), null/loopback
    /// (0), raw IPv4 (101, 228), Linux SLL (113) or SLL2 (276). Anything else (IPv6, ARP, other protocols) is null
    /// without a note; IPv4 fragments and broken headers are null with a note.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="note">Why a packet that looked like IPv4 was skipped.</param>
    /// <returns>The packet, or null.</returns>
    public static IpPacket? TryParse(CaptureRecord record, out string? note)
    {
        note = null;
        var data = record.Data.Span;
        if (!TryFindIPv4(record.LinkType, data, out int offset))
        {
            return null;
        }

        var ip = data[offset..];
        if (ip.Length < 20 || ip[0] >> 4 != 4)
        {
            note = "IPv4 header truncated or bad version";
            return null;
        }

        int headerLength = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (headerLength < 20 || totalLength < headerLength || headerLength > ip.Length)
        {
            note = $"bad IPv4 header (IHL {headerLength}, total length {totalLength})";
            return null;
        }

        int protocol = ip[9];
        if (protocol is not (6 or 17))
        {
            return null;
        }

        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        if ((fragment & 0x3FFF) != 0)
        {
            note = "IPv4 fragment skipped (fragments are not reassembled)";
            return null;
        }

        // The IP total length bounds the payload (Ethernet padding follows); a snapped packet keeps what is there.
        int end = offset + Math.Min(totalLength, ip.Length);
        var l4 = record.Data[(offset + headerLength)..end];
        var l4Span = l4.Span;
        var src = new IPAddress(ip.Slice(12, 4));
        var dst = new IPAddress(ip.Slice(16, 4));
        if (protocol == 17)
        {
            if (l4Span.Length < 8)
            {
                note = "UDP header truncated";
                return null;
            }

            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(l4Span[4..]);
            if (udpLength < 8)
            {
                note = $"bad UDP length {udpLength}";
                return null;
            }

            if (udpLength > l4Span.Length)
            {
                note = $"UDP datagram truncated ({l4Span.Length} of {udpLength} bytes captured)";
            }

            return new IpPacket(record.Number, false,
                new IPEndPoint(src, BinaryPrimitives.ReadUInt16BigEndian(l4Span)),
                new IPEndPoint(dst, BinaryPrimitives.ReadUInt16BigEndian(l4Span[2..])),
                l4[8..Math.Min(udpLength, l4Span.Length)], 0, 0);
        }

        if (l4Span.Length < 20)
        {
            note = "TCP header truncated";
            return null;
        }

        int dataOffset = (l4Span[12] >> 4) * 4;
        if (dataOffset < 20 || dataOffset > l4Span.Length)
        {
            note = $"bad TCP data offset {dataOffset}";
            return null;
        }

        return new IpPacket(record.Number, true,
            new IPEndPoint(src, BinaryPrimitives.ReadUInt16BigEndian(l4Span)),
            new IPEndPoint(dst, BinaryPrimitives.ReadUInt16BigEndian(l4Span[2..])),
            l4[dataOffset..], BinaryPrimitives.ReadUInt32BigEndian(l4Span[4..]), l4Span[13]);
    }

    private static bool TryFindIPv4(int linkType, ReadOnlySpan<byte> data, out int offset)
    {
        offset = 0;
        switch (linkType)
        {
            case 0: // BSD null/loopback: a 4-byte address family in the writer's byte order; AF_INET is 2.
                offset = 4;
                return data.Length >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(data) == 2 || BinaryPrimitives.ReadUInt32BigEndian(data) == 2);
            case 1: // Ethernet, with any number (bounded by the frame) of 802.1Q / 802.1ad tags
                offset = 12;
                while (offset + 2 <= data.Length)
                {
                    int etherType = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
                    if (etherType is 0x8100 or 0x88A8)
                    {
                        offset += 4;
                        continue;
                    }

                    offset += 2;
                    return etherType == 0x0800;
                }

                return false;
            case 113: // Linux cooked (SLL): protocol at 14, header 16 bytes
                offset = 16;
                return data.Length >= 16 && BinaryPrimitives.ReadUInt16BigEndian(data[14..]) == 0x0800;
            case 276: // Linux cooked v2 (SLL2): protocol at 0, header 20 bytes
                offset = 20;
                return data.Length >= 20 && BinaryPrimitives.ReadUInt16BigEndian(data) == 0x0800;
            case 101 or 228: // raw IP / raw IPv4
                return true;
            default:
                return false;
        }
    }
}
