using NetBios.Tests.TestCommon;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Wire.NameService;

/// <summary>Every NBNS packet of the reference captures (real Samba nmbd, nmblookup, Python tools) decodes and re-encodes exactly.</summary>
public sealed class NameServiceCaptureTests
{
    public static TheoryData<string> Captures => new() { "wins-nmbd-peersNS.pcap", "bnode-nbns-nbds.pcap", "nbss-smbd-139.pcap" };

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveryNbnsPacket_DecodesAndReencodesToTheSameBytes(string capture)
    {
        var packets = CaptureReader.ReadUdp(TestPaths.Capture(capture))
            .Where(p => p.Source.Port == 137 || p.Destination.Port == 137)
            .ToList();

        foreach (var captured in packets)
        {
            Assert.True(NameServicePacket.TryDecode(captured.Payload, out var packet, out var error), $"frame {captured.FrameNumber}: {error}");
            Assert.NotEqual(NameServicePacketKind.Unknown, packet.Kind);
            Assert.Equal(Hex.Format(captured.Payload), Hex.Format(packet.ToArray()));
        }

        if (capture != "nbss-smbd-139.pcap")
        {
            Assert.NotEmpty(packets);
        }
    }

    [Fact]
    public void WinsCapture_ContainsTheKindsTheDocsDescribe()
    {
        var kinds = CaptureReader.ReadUdp(TestPaths.Capture("wins-nmbd-peersNS.pcap"))
            .Where(p => p.Source.Port == 137 || p.Destination.Port == 137)
            .Select(p => NameServicePacket.TryDecode(p.Payload, out var packet, out _) ? packet.Kind : NameServicePacketKind.Unknown)
            .ToHashSet();

        Assert.Contains(NameServicePacketKind.NameRegistrationRequest, kinds);
        Assert.Contains(NameServicePacketKind.PositiveRegistrationResponse, kinds);
        Assert.Contains(NameServicePacketKind.NameQueryRequest, kinds);
        Assert.Contains(NameServicePacketKind.PositiveQueryResponse, kinds);
        Assert.Contains(NameServicePacketKind.NegativeQueryResponse, kinds);
        Assert.Contains(NameServicePacketKind.NodeStatusRequest, kinds);
        Assert.Contains(NameServicePacketKind.NodeStatusResponse, kinds);
        Assert.Contains(NameServicePacketKind.NameReleaseRequest, kinds);
        Assert.Contains(NameServicePacketKind.PositiveReleaseResponse, kinds);
    }
}
