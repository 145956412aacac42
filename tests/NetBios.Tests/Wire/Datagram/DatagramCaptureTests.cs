using NetBios.Tests.TestCommon;
using NetBios.Wire.Datagram;
using Xunit;

namespace NetBios.Tests.Wire.Datagram;

public sealed class DatagramCaptureTests
{
    [Fact]
    public void CaptureBnode_EveryNbdsPacket_DecodesAndReencodesExactly()
    {
        var packets = CaptureReader.ReadUdp(TestPaths.Capture("bnode-nbns-nbds.pcap"))
            .Where(p => p.Source.Port == 138 || p.Destination.Port == 138)
            .ToList();

        // tshark -r bnode-nbns-nbds.pcap -Y nbdgm: 26 packets, all DIRECT_GROUP (browser announcements, elections,
        // backup list requests) except frames 103 and 104 (DIRECT_UNIQUE replies to NBDSCLIENT<00>).
        Assert.Equal(26, packets.Count);
        foreach (var captured in packets)
        {
            Assert.True(DatagramPacket.TryDecode(captured.Payload, out var packet, out var error), $"frame {captured.FrameNumber}: {error}");
            var datagram = Assert.IsType<UserDatagram>(packet);
            Assert.True(datagram.IsUnfragmented, $"frame {captured.FrameNumber}");
            Assert.Equal(0, datagram.PacketOffset);
            Assert.Equal(captured.Source.Address, datagram.Header.SourceAddress);
            Assert.Equal(captured.Payload.Length - UserDatagram.FixedLength, datagram.DatagramLength);
            Assert.Equal(Hex.Format(captured.Payload), Hex.Format(packet.ToArray()));
        }

        var unique = packets.Where(p => p.Payload[0] == (byte)DatagramMessageType.DirectUnique).Select(p => p.FrameNumber);
        Assert.Equal(new[] { 103, 104 }, unique);
    }

    [Fact]
    public void CaptureBnode_SambaSender_UsesSntMNodeAndPythonClientBNode()
    {
        var packets = CaptureReader.ReadUdp(TestPaths.Capture("bnode-nbns-nbds.pcap"))
            .Where(p => p.Destination.Port == 138 || p.Source.Port == 138)
            .Select(p => (p.FrameNumber, Decoded: DatagramPacket.TryDecode(p.Payload, out var packet, out _) ? (UserDatagram)packet : null))
            .ToList();

        // FLAGS 0x0a (F, SNT=M) from nmbd; 0x02 (F, SNT=B) from the test client (frames 82, 91, 102).
        Assert.All(packets, p => Assert.Equal(
            p.FrameNumber is 82 or 91 or 102 ? DatagramSourceNodeType.BNode : DatagramSourceNodeType.MNode,
            p.Decoded!.Header.SourceNodeType));
    }
}
