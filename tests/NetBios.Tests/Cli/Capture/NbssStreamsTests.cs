using System.Buffers.Binary;
using System.Net;
using Nbt.Cli.Capture;
using Xunit;

namespace NetBios.Tests.Cli.Capture;

/// <summary>The NBSS stream follower and the IPv4 parser on hand-made segments: splits, retransmissions, gaps, fragments.</summary>
public sealed class NbssStreamsTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("10.0.0.1"), 50000);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("10.0.0.2"), 139);

    // 0x85 keep-alive, then a 5-byte session message, then a negative response 0x82.
    private static readonly byte[] Stream = [0x85, 0, 0, 0, 0x00, 0, 0, 5, 1, 2, 3, 4, 5, 0x83, 0, 0, 1, 0x82];

    private static IpPacket Segment(int frame, uint sequence, int from, int length, byte flags = 0x18) =>
        new(frame, true, Client, Server, Stream.AsMemory(from, length), sequence, flags);

    [Fact]
    public void Add_SplitAndRetransmittedSegments_EachFrameOnceAtTheSegmentThatCompletedIt()
    {
        var streams = new NbssStreams();
        var notes = new List<string>();
        var all = new List<DecodedPacket>();

        all.AddRange(streams.Add(new IpPacket(1, true, Client, Server, ReadOnlyMemory<byte>.Empty, 999, 0x02), notes)); // SYN
        all.AddRange(streams.Add(Segment(2, 1000, 0, 6), notes));   // keep-alive + 2 bytes of the message header
        all.AddRange(streams.Add(Segment(3, 1000, 0, 6), notes));   // retransmission
        all.AddRange(streams.Add(Segment(4, 1004, 4, 10), notes));  // overlaps 2 bytes, completes the message
        all.AddRange(streams.Add(Segment(5, 1014, 14, 4), notes));  // negative response

        Assert.Empty(notes);
        Assert.Equal([(2, "session keep-alive"), (4, "session message"), (5, "negative session response")], all.Select(p => (p.Frame, p.Kind)));
        Assert.Equal("0x82 called name not present", all[2].Summary);
    }

    [Fact]
    public void Add_Gap_ResynchronisesWithANote()
    {
        var streams = new NbssStreams();
        var notes = new List<string>();

        streams.Add(Segment(1, 1000, 0, 6), notes);
        var after = streams.Add(Segment(2, 1013 + 100, 13, 5), notes);

        Assert.Contains(notes, n => n.Contains("107 bytes missing", StringComparison.Ordinal));
        Assert.Equal("negative session response", Assert.Single(after).Kind);
    }

    [Fact]
    public void Add_BadHeader_IsMalformedAndTheDirectionStops()
    {
        var streams = new NbssStreams();
        var notes = new List<string>();

        var bad = streams.Add(new IpPacket(1, true, Client, Server, new byte[] { 0x42, 0, 0, 0 }, 1, 0x18), notes);
        var later = streams.Add(new IpPacket(2, true, Client, Server, new byte[] { 0x85, 0, 0, 0 }, 5, 0x18), notes);

        Assert.Equal("UnknownType; the rest of this direction is not decoded", Assert.Single(bad).Malformed);
        Assert.Empty(later);
    }

    [Fact]
    public void TryParse_IPv4Fragment_SkippedWithANote()
    {
        byte[] ip = new byte[28];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), 28);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(6), 0x2000); // MF
        ip[9] = 17;

        var packet = IpPacket.TryParse(new CaptureRecord(7, 101, ip), out string? note);

        Assert.Null(packet);
        Assert.Contains("fragment", note, StringComparison.Ordinal);
    }
}
