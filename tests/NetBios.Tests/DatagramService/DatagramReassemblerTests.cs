using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.DatagramService;
using NetBios.Wire.Datagram;
using Xunit;

namespace NetBios.Tests.DatagramService;

/// <summary>Reassembly rules (RFC 1002 §4.4.2 fragments, FRAGMENT_TO) and bounds, fragment by fragment.</summary>
public sealed class DatagramReassemblerTests
{
    private static readonly IPAddress Sender = IPAddress.Parse("10.9.0.1");
    private static readonly NetBiosName Source = NetBiosName.Create("SRC", 0);
    private static readonly NetBiosName Destination = NetBiosName.Create("DST", 0);

    private readonly FakeTimeProvider _time = new();

    private static UserDatagram Piece(ushort id, bool first, bool more, int offset, byte[] data, NetBiosName? destination = null)
    {
        var flags = (first ? DatagramFlags.First : DatagramFlags.None) | (more ? DatagramFlags.More : DatagramFlags.None);
        return new UserDatagram(new DatagramHeader(DatagramMessageType.DirectUnique, flags, id, Sender, 138), (ushort)offset, Source,
            destination ?? Destination, data);
    }

    private static byte[] Bytes(int length, int seed) => Enumerable.Range(seed, length).Select(i => (byte)i).ToArray();

    private DatagramReassembler Create(Action<DatagramServiceOptions>? configure = null)
    {
        var options = new DatagramServiceOptions();
        configure?.Invoke(options);
        return new DatagramReassembler(options, _time);
    }

    [Fact]
    public void EveryOrderOfThreeFragments_Completes_OnTheLastOneOnly()
    {
        byte[] whole = Bytes(300, 1);
        var pieces = new[] { Piece(1, true, true, 0, whole[..100]), Piece(1, false, true, 100, whole[100..200]), Piece(1, false, false, 200, whole[200..]) };
        int[][] orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (int[] order in orders)
        {
            var reassembler = Create();
            Assert.Equal(DatagramReassembler.Result.Pending, reassembler.Add(pieces[order[0]], out _, out _));
            Assert.Equal(DatagramReassembler.Result.Pending, reassembler.Add(pieces[order[1]], out _, out _));
            Assert.Equal(DatagramReassembler.Result.Complete, reassembler.Add(pieces[order[2]], out byte[]? data, out _));
            Assert.Equal(whole, data);
            Assert.Equal(0, reassembler.PartialCount);
            Assert.Equal(0, reassembler.BufferedBytes);
        }
    }

    [Fact]
    public void SameIdFromAnotherSenderPortOrAddress_IsAnotherDatagram()
    {
        var reassembler = Create();
        reassembler.Add(Piece(1, true, true, 0, Bytes(10, 0)), out _, out _);
        var otherPort = Piece(1, false, false, 10, Bytes(10, 0)) with { Header = new DatagramHeader(DatagramMessageType.DirectUnique, DatagramFlags.None, 1, Sender, 139) };

        Assert.Equal(DatagramReassembler.Result.Pending, reassembler.Add(otherPort, out _, out _));
        Assert.Equal(2, reassembler.PartialCount);
    }

    [Theory]
    [InlineData(true, true, 5, 10, "first fragment not at offset 0")]
    [InlineData(false, true, 0, 10, "middle fragment at offset 0")]
    [InlineData(false, false, 0, 10, "last fragment at offset 0")]
    [InlineData(false, true, 100, 0, "empty middle fragment")]
    [InlineData(false, false, 65_530, 10, "beyond the largest datagram")]
    public void ShapeErrors_AreRejected(bool first, bool more, int offset, int length, string why)
    {
        var reassembler = Create(o => o.MaxReceiveLength = 65_535);

        Assert.True(DatagramReassembler.Result.Rejected == reassembler.Add(Piece(1, first, more, offset, new byte[length]), out _, out _), why);
        Assert.Equal(0, reassembler.PartialCount);
    }

    [Theory]
    [InlineData(50, 100, "starts inside the first")]
    [InlineData(99, 1, "last byte of the first")]
    [InlineData(0, 10, "a second first fragment with different bytes")]
    public void Overlap_DiscardsThePartial(int offset, int length, string why)
    {
        var reassembler = Create();
        reassembler.Add(Piece(1, true, true, 0, new byte[100]), out _, out _);

        var result = reassembler.Add(Piece(1, offset == 0, true, offset, Bytes(length, 7)), out _, out int dropped);

        Assert.True(result == DatagramReassembler.Result.Rejected, why);
        Assert.Equal(1, dropped);
        Assert.Equal(0, reassembler.PartialCount);
    }

    [Fact]
    public void ContradictoryEnds_AndDataBeyondTheEnd_DiscardThePartial()
    {
        var twoEnds = Create();
        twoEnds.Add(Piece(1, false, false, 200, new byte[10]), out _, out _);
        Assert.Equal(DatagramReassembler.Result.Rejected, twoEnds.Add(Piece(1, false, false, 300, new byte[10]), out _, out _));

        var beyond = Create();
        beyond.Add(Piece(2, false, true, 400, new byte[10]), out _, out _);
        Assert.Equal(DatagramReassembler.Result.Rejected, beyond.Add(Piece(2, false, false, 100, new byte[10]), out _, out _));

        var afterEnd = Create();
        afterEnd.Add(Piece(3, false, false, 100, new byte[10]), out _, out _);
        Assert.Equal(DatagramReassembler.Result.Rejected, afterEnd.Add(Piece(3, false, true, 200, new byte[10]), out _, out _));
    }

    [Fact]
    public void FragmentWithOtherNames_DiscardsThePartial()
    {
        var reassembler = Create();
        reassembler.Add(Piece(1, true, true, 0, new byte[10]), out _, out _);

        Assert.Equal(DatagramReassembler.Result.Rejected,
            reassembler.Add(Piece(1, false, false, 10, new byte[10], NetBiosName.Create("OTHER", 0)), out _, out _));
    }

    [Fact]
    public void ExactDuplicate_IsIgnored()
    {
        var reassembler = Create();
        var first = Piece(1, true, true, 0, Bytes(10, 3));
        reassembler.Add(first, out _, out _);

        Assert.Equal(DatagramReassembler.Result.Pending, reassembler.Add(first, out _, out _));
        Assert.Equal(10, reassembler.BufferedBytes);
        Assert.Equal(DatagramReassembler.Result.Complete, reassembler.Add(Piece(1, false, false, 10, Bytes(5, 0)), out byte[]? data, out _));
        Assert.Equal(15, data!.Length);
    }

    [Fact]
    public void TooManyFragments_DiscardsThePartial()
    {
        var reassembler = Create(o => o.MaxFragmentsPerDatagram = 4);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(DatagramReassembler.Result.Pending, reassembler.Add(Piece(1, i == 0, true, i * 10, new byte[10]), out _, out _));
        }

        Assert.Equal(DatagramReassembler.Result.Rejected, reassembler.Add(Piece(1, false, true, 40, new byte[10]), out _, out _));
    }

    [Fact]
    public void PartialsExpireAfterFragmentTimeout()
    {
        var reassembler = Create();
        reassembler.Add(Piece(1, true, true, 0, new byte[10]), out _, out _);
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(0, reassembler.Expire());
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, reassembler.Expire());
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Fact]
    public void Bounds_EvictTheOldestPartial_ByCountAndByBytes()
    {
        var byCount = Create(o => o.MaxPartialDatagrams = 3);
        for (ushort id = 0; id < 10; id++)
        {
            byCount.Add(Piece(id, true, true, 0, new byte[10]), out _, out _);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(3, byCount.PartialCount);
        Assert.Equal(DatagramReassembler.Result.Complete, byCount.Add(Piece(9, false, false, 10, new byte[1]), out _, out _)); // the newest survived

        var byBytes = Create(o => o.MaxReassemblyBytes = 1000);
        for (ushort id = 0; id < 10; id++)
        {
            byBytes.Add(Piece(id, true, true, 0, new byte[300]), out _, out _);
            Assert.InRange(byBytes.BufferedBytes, 300, 1000);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(3, byBytes.PartialCount);
        Assert.Equal(DatagramReassembler.Result.Rejected, byBytes.Add(Piece(99, true, true, 0, new byte[1001]), out _, out _));
    }

    [Fact]
    public void GrowingPartial_EvictsOthersButNotItself()
    {
        var reassembler = Create(o => o.MaxReassemblyBytes = 1000);
        reassembler.Add(Piece(1, true, true, 0, new byte[400]), out _, out _);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        reassembler.Add(Piece(2, true, true, 0, new byte[400]), out _, out _);

        Assert.Equal(DatagramReassembler.Result.Pending, reassembler.Add(Piece(1, false, true, 400, new byte[400]), out _, out int dropped));
        Assert.Equal(1, dropped);
        Assert.Equal(800, reassembler.BufferedBytes);
        Assert.Equal(DatagramReassembler.Result.Rejected, reassembler.Add(Piece(1, false, false, 800, new byte[300]), out _, out _)); // 1100 > 1000
        Assert.Equal(0, reassembler.BufferedBytes);
    }
}
