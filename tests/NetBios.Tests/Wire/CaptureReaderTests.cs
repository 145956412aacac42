using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.Wire;

public sealed class CaptureReaderTests
{
    [Theory]
    [InlineData("wins-nmbd-peersNS.pcap", 28)]
    [InlineData("bnode-nbns-nbds.pcap", 107)]
    public void ReadUdp_SampleCaptures_FindsEveryDatagram(string file, int expected)
    {
        var packets = CaptureReader.ReadUdp(TestPaths.Capture(file));

        Assert.Equal(expected, packets.Count);
        Assert.All(packets, p => Assert.NotEmpty(p.Payload));
    }

    [Fact]
    public void ReadTcpStreams_SmbdCapture_ReassemblesPort139Streams()
    {
        var streams = CaptureReader.ReadTcpStreams(TestPaths.Capture("nbss-smbd-139.pcap"));

        Assert.NotEmpty(streams);
        Assert.All(streams, s => Assert.True(s.Source.Port == 139 || s.Destination.Port == 139));
    }
}
