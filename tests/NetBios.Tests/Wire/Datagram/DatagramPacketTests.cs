using System.Net;
using NetBios.Tests.TestCommon;
using NetBios.Wire.Datagram;
using Xunit;

namespace NetBios.Tests.Wire.Datagram;

public sealed class DatagramPacketTests
{
    private static readonly IPEndPoint Source = new(IPAddress.Parse("10.99.0.2"), 138);
    private static readonly NetBiosName From = NetBiosName.Create("SENDER", 0x00);
    private static readonly NetBiosName To = NetBiosName.Create("PEERTEST", 0x1D);

    public static TheoryData<string> Kinds => new() { "unique", "group", "broadcast", "error", "query", "positive", "negative", "scoped", "empty" };

    internal static DatagramPacket Build(string kind)
    {
        var header = new DatagramHeader(DatagramMessageType.Error, DatagramFlags.First, 0x1234, Source.Address, 138);
        return kind switch
        {
            "unique" => UserDatagram.Create(DatagramMessageType.DirectUnique, 0x0101, Source, From, To, "hello"u8.ToArray()),
            "group" => UserDatagram.Create(DatagramMessageType.DirectGroup, 0x0102, Source, From, NetBiosName.Create("CHAT", 0x03), new byte[300], (DatagramFlags)0x08),
            "broadcast" => UserDatagram.Create(DatagramMessageType.Broadcast, 0x0103, Source, From, NetBiosName.Wildcard, new byte[] { 1, 2, 3 }),
            "error" => new DatagramErrorPacket(header, DatagramErrorCode.DestinationNameNotPresent),
            "query" => new DatagramQueryPacket(header with { Type = DatagramMessageType.QueryRequest }, To),
            "positive" => new DatagramQueryPacket(header with { Type = DatagramMessageType.PositiveQueryResponse }, To),
            "negative" => new DatagramQueryPacket(header with { Type = DatagramMessageType.NegativeQueryResponse }, To),
            "scoped" => UserDatagram.Create(DatagramMessageType.DirectUnique, 7, Source, From.WithScope("SCOPE.ID.COM"), To.WithScope("SCOPE.ID.COM"), new byte[] { 9 }),
            "empty" => UserDatagram.Create(DatagramMessageType.DirectUnique, 8, Source, From, To, ReadOnlyMemory<byte>.Empty),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EncodeDecode_RoundTrips(string kind)
    {
        var packet = Build(kind);
        byte[] bytes = packet.ToArray();

        Assert.True(DatagramPacket.TryDecode(bytes, out var decoded, out var error), error.ToString());

        Assert.Equal(packet, decoded);
        Assert.Equal(Hex.Format(bytes), Hex.Format(decoded.ToArray()));
    }

    [Fact]
    public void DirectUnique_SpecVector()
    {
        byte[] expected = Hex.Parse(
            "10 02 0101 0a630002 008a" +   // DIRECT_UNIQUE, F, DGM_ID 0x0101, 10.99.0.2:138
            "0049 0000" +                  // DGM_LENGTH 73 = 34 + 34 + 5, PACKET_OFFSET 0
            "2046444546454f454545464643434143414341434143414341434143414341414100" + // SENDER<00>
            "20464145464546464346454546464446454341434143414341434143414341424e00" + // PEERTEST<1D>
            "68656c6c6f");                 // "hello"

        Assert.Equal(Hex.Format(expected), Hex.Format(Build("unique").ToArray()));
    }

    [Fact]
    public void Fragment_SplitsWithRfcFlagsAndOffsets()
    {
        byte[] data = Enumerable.Range(0, 1200).Select(i => (byte)i).ToArray();

        var fragments = UserDatagram.Fragment(DatagramMessageType.DirectGroup, 9, Source, From, To, data, maxPacketLength: 576);

        Assert.Equal(3, fragments.Count);
        Assert.Equal(DatagramFlags.First | DatagramFlags.More, fragments[0].Header.Flags);
        Assert.Equal(DatagramFlags.More, fragments[1].Header.Flags);
        Assert.Equal(DatagramFlags.None, fragments[2].Header.Flags);
        Assert.All(fragments, f => Assert.True(f.GetEncodedLength() <= 576));
        Assert.All(fragments, f => Assert.Equal(To, f.DestinationName));
        Assert.Equal(0, fragments[0].PacketOffset);
        Assert.Equal(fragments[0].UserData.Length, fragments[1].PacketOffset);
        Assert.Equal(data, fragments.SelectMany(f => f.UserData.ToArray()).ToArray());
        var single = UserDatagram.Fragment(DatagramMessageType.DirectGroup, 9, Source, From, To, new byte[10]);
        Assert.Equal(DatagramFlags.First, Assert.Single(single).Header.Flags);
    }

    [Fact]
    public void TryDecode_EveryTruncation_Fails()
    {
        foreach (string kind in new[] { "unique", "query", "error" })
        {
            byte[] bytes = Build(kind).ToArray();
            for (int length = 0; length < bytes.Length - (kind == "unique" ? 5 : 0); length++)
            {
                Assert.False(DatagramPacket.TryDecode(bytes.AsSpan(0, length), out _, out _), $"{kind} truncated to {length}");
            }
        }
    }

    [Fact]
    public void TryDecode_DgmLengthBeyondDatagram_IsBadLength()
    {
        byte[] bytes = Build("unique").ToArray();
        bytes[10] = 0xFF;

        Assert.False(DatagramPacket.TryDecode(bytes, out _, out var error));
        Assert.Equal(DatagramDecodeError.BadLength, error);
    }

    [Fact]
    public void TryDecode_PointerInName_IsRejected()
    {
        byte[] bytes = Build("unique").ToArray();
        // Replace the destination name with a pointer to the source name.
        byte[] forged = [.. bytes[..(14 + 34)], 0xC0, 14, .. "hello"u8.ToArray()];
        forged[11] = (byte)(forged.Length - 14);

        Assert.False(DatagramPacket.TryDecode(forged, out _, out var error));
        Assert.Equal(DatagramDecodeError.BadDestinationName, error);
    }

    [Fact]
    public void TryDecode_UnknownTypeAndBadNibble_AreRejected()
    {
        byte[] bytes = Build("unique").ToArray();
        byte[] unknown = (byte[])bytes.Clone();
        unknown[0] = 0x17;
        byte[] nibble = (byte[])bytes.Clone();
        nibble[16] = (byte)'Z';

        Assert.False(DatagramPacket.TryDecode(unknown, out _, out var e1));
        Assert.Equal(DatagramDecodeError.UnknownType, e1);
        Assert.False(DatagramPacket.TryDecode(nibble, out _, out var e2));
        Assert.Equal(DatagramDecodeError.BadSourceName, e2);
    }

    [Fact]
    public void TryDecode_RandomMutations_NeverThrow()
    {
        var random = new Random(138);
        var seeds = new[] { "unique", "group", "broadcast", "error", "query", "positive", "negative", "scoped", "empty" }.Select(k => Build(k).ToArray()).ToArray();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])seeds[i % seeds.Length].Clone();
            for (int m = 0; m < 1 + random.Next(4); m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            if (DatagramPacket.TryDecode(bytes.AsSpan(0, random.Next(bytes.Length + 1)), out var packet, out _))
            {
                Assert.True(DatagramPacket.TryDecode(packet.ToArray(), out var again, out _));
                Assert.Equal(packet, again);
            }
        }
    }

    [Fact]
    public void CaptureBnode_EveryNbdsPacket_DecodesAndReencodesExactly()
    {
        var packets = CaptureReader.ReadUdp(TestPaths.Capture("bnode-nbns-nbds.pcap"))
            .Where(p => p.Source.Port == 138 || p.Destination.Port == 138)
            .ToList();

        Assert.NotEmpty(packets);
        foreach (var captured in packets)
        {
            Assert.True(DatagramPacket.TryDecode(captured.Payload, out var packet, out var error), $"frame {captured.FrameNumber}: {error}");
            Assert.IsType<UserDatagram>(packet);
            Assert.Equal(Hex.Format(captured.Payload), Hex.Format(packet.ToArray()));
        }
    }
}
