using System.Buffers.Binary;
using System.Net;

namespace NetBios.Tests.TestCommon;

/// <summary>One UDP datagram from a capture.</summary>
/// <param name="FrameNumber">1-based frame number, as tshark numbers it.</param>
public sealed record CapturedPacket(int FrameNumber, IPEndPoint Source, IPEndPoint Destination, byte[] Payload);

/// <summary>One direction of one TCP connection, reassembled in sequence order.</summary>
/// <param name="FirstFrameNumber">Frame number of the connection's first segment in this direction.</param>
public sealed record TcpStream(int FirstFrameNumber, IPEndPoint Source, IPEndPoint Destination, byte[] Data);

/// <summary>
/// Reads pcap and pcapng captures (Ethernet, Linux cooked, raw IPv4 link types) and returns IPv4 UDP datagrams and
/// reassembled TCP streams. Test-only: it trusts the capture file more than the stack trusts the network.
/// </summary>
public static class CaptureReader
{
    /// <summary>Every IPv4 UDP datagram in frame order.</summary>
    public static IReadOnlyList<CapturedPacket> ReadUdp(string path) =>
        ReadIp(path).Where(p => p.Protocol == 17).Select(p => new CapturedPacket(p.Frame, p.Source, p.Destination, p.Payload)).ToList();

    /// <summary>Each direction of each TCP connection, reassembled (retransmissions dropped), in order of first appearance.</summary>
    public static IReadOnlyList<TcpStream> ReadTcpStreams(string path)
    {
        var streams = new List<(int Frame, IPEndPoint Src, IPEndPoint Dst, uint Isn, SortedDictionary<uint, byte[]> Segments)>();
        var open = new Dictionary<(IPEndPoint, IPEndPoint), int>();
        foreach (var packet in ReadIp(path).Where(p => p.Protocol == 6))
        {
            var key = (packet.Source, packet.Destination);
            bool syn = (packet.TcpFlags & 0x02) != 0;
            if (syn || !open.TryGetValue(key, out int index))
            {
                // A SYN starts a new connection; data without a seen SYN starts at its own sequence number.
                streams.Add((packet.Frame, packet.Source, packet.Destination, syn ? packet.Sequence + 1 : packet.Sequence, new SortedDictionary<uint, byte[]>()));
                index = streams.Count - 1;
                open[key] = index;
            }

            if (packet.Payload.Length > 0)
            {
                uint relative = packet.Sequence - streams[index].Isn;
                if (!streams[index].Segments.TryGetValue(relative, out byte[]? existing) || existing.Length < packet.Payload.Length)
                {
                    streams[index].Segments[relative] = packet.Payload;
                }
            }
        }

        var result = new List<TcpStream>();
        foreach (var (frame, src, dst, _, segments) in streams)
        {
            var data = new List<byte>();
            foreach (var (offset, payload) in segments)
            {
                long skip = data.Count - (long)offset;
                if (skip < 0)
                {
                    throw new InvalidDataException($"TCP stream {src}->{dst} has a gap at relative sequence {data.Count}.");
                }

                if (skip < payload.Length)
                {
                    data.AddRange(payload.AsSpan((int)skip).ToArray());
                }
            }

            if (data.Count > 0)
            {
                result.Add(new TcpStream(frame, src, dst, data.ToArray()));
            }
        }

        return result;
    }

    private sealed record IpPacket(int Frame, int Protocol, IPEndPoint Source, IPEndPoint Destination, byte[] Payload, uint Sequence, byte TcpFlags);

    private static IEnumerable<IpPacket> ReadIp(string path)
    {
        foreach (var (frame, linkType, data) in ReadFrames(File.ReadAllBytes(path)))
        {
            if (TryParseIp(frame, linkType, data) is { } packet)
            {
                yield return packet;
            }
        }
    }

    private static IEnumerable<(int Frame, int LinkType, byte[] Data)> ReadFrames(byte[] file)
    {
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        return magic switch
        {
            0x0A0D0D0A => ReadPcapNg(file),
            0xA1B2C3D4 or 0xA1B23C4D => ReadPcap(file, bigEndian: false),
            0xD4C3B2A1 or 0x4D3CB2A1 => ReadPcap(file, bigEndian: true),
            _ => throw new InvalidDataException($"Not a pcap or pcapng file (magic 0x{magic:X8})."),
        };
    }

    private static IEnumerable<(int, int, byte[])> ReadPcap(byte[] file, bool bigEndian)
    {
        uint U32(int at) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
        int linkType = (int)(U32(20) & 0x0FFFFFFF);
        int pos = 24;
        int frame = 0;
        while (pos + 16 <= file.Length)
        {
            int captured = (int)U32(pos + 8);
            pos += 16;
            yield return (++frame, linkType, file.AsSpan(pos, captured).ToArray());
            pos += captured;
        }
    }

    private static IEnumerable<(int, int, byte[])> ReadPcapNg(byte[] file)
    {
        var linkTypes = new List<int>();
        int pos = 0;
        int frame = 0;
        while (pos + 12 <= file.Length)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos));
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 4));
            ReadOnlySpan<byte> body = file.AsSpan(pos + 8, length - 12);
            switch (type)
            {
                case 0x0A0D0D0A:
                    linkTypes.Clear();
                    break;
                case 1: // Interface Description Block
                    linkTypes.Add(BinaryPrimitives.ReadUInt16LittleEndian(body));
                    break;
                case 6: // Enhanced Packet Block
                    int iface = (int)BinaryPrimitives.ReadUInt32LittleEndian(body);
                    int captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[12..]);
                    yield return (++frame, linkTypes[iface], body.Slice(20, captured).ToArray());
                    break;
                case 3: // Simple Packet Block
                    int original = (int)BinaryPrimitives.ReadUInt32LittleEndian(body);
                    yield return (++frame, linkTypes[0], body.Slice(4, Math.Min(original, body.Length - 4)).ToArray());
                    break;
            }

            pos += length;
        }
    }

    private static IpPacket? TryParseIp(int frame, int linkType, byte[] data)
    {
        int offset;
        int etherType;
        switch (linkType)
        {
            case 1: // Ethernet, with optional 802.1Q tags
                offset = 12;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset));
                while (etherType == 0x8100)
                {
                    offset += 4;
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset));
                }

                offset += 2;
                break;
            case 113: // Linux cooked (SLL)
                etherType = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(14));
                offset = 16;
                break;
            case 101: // raw IP
            case 228:
                etherType = 0x0800;
                offset = 0;
                break;
            default:
                return null;
        }

        if (etherType != 0x0800 || data.Length < offset + 20)
        {
            return null;
        }

        var ip = data.AsSpan(offset);
        int headerLength = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        int protocol = ip[9];
        var src = new IPAddress(ip.Slice(12, 4));
        var dst = new IPAddress(ip.Slice(16, 4));
        var l4 = ip[headerLength..Math.Min(totalLength, ip.Length)];
        switch (protocol)
        {
            case 17:
                int udpLength = BinaryPrimitives.ReadUInt16BigEndian(l4[4..]);
                return new IpPacket(frame, 17,
                    new IPEndPoint(src, BinaryPrimitives.ReadUInt16BigEndian(l4)),
                    new IPEndPoint(dst, BinaryPrimitives.ReadUInt16BigEndian(l4[2..])),
                    l4[8..Math.Min(udpLength, l4.Length)].ToArray(), 0, 0);
            case 6:
                int dataOffset = (l4[12] >> 4) * 4;
                return new IpPacket(frame, 6,
                    new IPEndPoint(src, BinaryPrimitives.ReadUInt16BigEndian(l4)),
                    new IPEndPoint(dst, BinaryPrimitives.ReadUInt16BigEndian(l4[2..])),
                    l4[dataOffset..].ToArray(), BinaryPrimitives.ReadUInt32BigEndian(l4[4..]), l4[13]);
            default:
                return null;
        }
    }
}
