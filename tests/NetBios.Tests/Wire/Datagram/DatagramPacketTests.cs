using System.Net;
using NetBios.Tests.TestCommon;
using NetBios.Wire;
using NetBios.Wire.Datagram;
using Xunit;

namespace NetBios.Tests.Wire.Datagram;

public sealed class DatagramPacketTests
{
    private static readonly IPEndPoint Source = new(IPAddress.Parse("10.99.0.2"), 138);
    private static readonly NetBiosName From = NetBiosName.Create("SENDER", 0x00);
    private static readonly NetBiosName To = NetBiosName.Create("PEERTEST", 0x1D);

    public static TheoryData<string> Kinds => new() { "unique", "group", "broadcast", "error", "query", "positive", "negative", "scoped", "empty", "fragment" };

    internal static DatagramPacket Build(string kind) => kind switch
    {
        "unique" => UserDatagram.Create(DatagramMessageType.DirectUnique, 0x0101, Source, From, To, "hello"u8.ToArray()),
        "group" => UserDatagram.Create(DatagramMessageType.DirectGroup, 0x0102, Source, From, NetBiosName.Create("CHAT", 0x03), new byte[300], DatagramSourceNodeType.MNode),
        "broadcast" => UserDatagram.Create(DatagramMessageType.Broadcast, 0x0103, Source, From, NetBiosName.Wildcard, new byte[] { 1, 2, 3 }),
        "error" => DatagramErrorPacket.Create(0x1234, Source, DatagramErrorCode.DestinationNameNotPresent),
        "query" => DatagramQueryPacket.Create(DatagramMessageType.QueryRequest, 0x1235, Source, To, DatagramSourceNodeType.PNode),
        "positive" => DatagramQueryPacket.Create(DatagramMessageType.PositiveQueryResponse, 0x1236, Source, To),
        "negative" => DatagramQueryPacket.Create(DatagramMessageType.NegativeQueryResponse, 0x1237, Source, To, DatagramSourceNodeType.NbddOrHNode),
        "scoped" => UserDatagram.Create(DatagramMessageType.DirectUnique, 7, Source, From.WithScope("SCOPE.ID.COM"), To.WithScope("SCOPE.ID.COM"), new byte[] { 9 }),
        "empty" => UserDatagram.Create(DatagramMessageType.DirectUnique, 8, Source, From, To, ReadOnlyMemory<byte>.Empty),
        "fragment" => UserDatagram.Fragment(DatagramMessageType.DirectGroup, 9, Source, From, To, new byte[1000], 300)[1],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EncodeDecode_EveryKind_RoundTrips(string kind)
    {
        var packet = Build(kind);
        byte[] bytes = packet.ToArray();

        Assert.True(DatagramPacket.TryDecode(bytes, out var decoded, out var error), error.ToString());

        Assert.Equal(packet, decoded);
        Assert.Equal(packet.GetType(), decoded.GetType());
        Assert.Equal(Hex.Format(bytes), Hex.Format(decoded.ToArray()));
    }

    [Fact]
    public void Encode_DirectUnique_MatchesAnnotatedVector()
    {
        // [RFC 1002] 4.4.2 DIRECT_UNIQUE DATAGRAM
        byte[] expected = Hex.Parse(
            "10" +                         // MSG_TYPE DIRECT_UNIQUE
            "02" +                         // FLAGS: F=1 M=0, SNT=B
            "0101" +                       // DGM_ID
            "0a630002" +                   // SOURCE_IP 10.99.0.2
            "008a" +                       // SOURCE_PORT 138
            "0049" +                       // DGM_LENGTH 73 = 34 + 34 + 5
            "0000" +                       // PACKET_OFFSET 0
            "2046444546454f454545464643434143414341434143414341434143414341414100" + // SENDER<00>
            "20464145464546464346454546464446454341434143414341434143414341424e00" + // PEERTEST<1D>
            "68656c6c6f");                 // USER_DATA "hello"

        Assert.Equal(Hex.Format(expected), Hex.Format(Build("unique").ToArray()));
    }

    [Fact]
    public void Encode_ErrorAndQuery_MatchAnnotatedVectors()
    {
        // [RFC 1002] 4.4.3 DATAGRAM ERROR PACKET
        byte[] error = Hex.Parse(
            "13" +                         // MSG_TYPE DATAGRAM ERROR
            "02" +                         // FLAGS F=1
            "1234" + "0a630002" + "008a" + // DGM_ID, SOURCE_IP, SOURCE_PORT
            "82");                         // ERROR_CODE DESTINATION NAME NOT PRESENT
        // [RFC 1002] 4.4.4 DATAGRAM QUERY REQUEST
        byte[] query = Hex.Parse(
            "14" +                         // MSG_TYPE DATAGRAM QUERY REQUEST
            "06" +                         // FLAGS F=1, SNT=P (01 << 2)
            "1235" + "0a630002" + "008a" + // DGM_ID, SOURCE_IP, SOURCE_PORT
            "20464145464546464346454546464446454341434143414341434143414341424e00"); // DESTINATION_NAME PEERTEST<1D>

        Assert.Equal(Hex.Format(error), Hex.Format(Build("error").ToArray()));
        Assert.Equal(Hex.Format(query), Hex.Format(Build("query").ToArray()));
    }

    [Fact]
    public void Encode_ScopedNames_CarryScopeLabels()
    {
        byte[] bytes = Build("scoped").ToArray();

        // 33 + "SCOPE.ID.COM" as 05 SCOPE 02 ID 03 COM 00 (14) per name, + 1 byte of data.
        Assert.Equal(2 * (33 + 14) + 1, bytes[10] << 8 | bytes[11]);
        Assert.Equal("0553434f5045024944" + "03434f4d00", Hex.Format(bytes.AsSpan(14 + 33, 14)));
    }

    [Theory]
    [InlineData(0x00, DatagramSourceNodeType.BNode, false, false)]
    [InlineData(0x02, DatagramSourceNodeType.BNode, true, false)]
    [InlineData(0x07, DatagramSourceNodeType.PNode, true, true)]
    [InlineData(0x09, DatagramSourceNodeType.MNode, false, true)]
    [InlineData(0x0E, DatagramSourceNodeType.NbddOrHNode, true, false)]
    public void Flags_SourceNodeTypeAndFragmentBits_AreRead(byte flags, DatagramSourceNodeType nodeType, bool first, bool more)
    {
        var value = (DatagramFlags)flags;

        Assert.Equal(nodeType, value.GetSourceNodeType());
        Assert.Equal(first, value.IsFirstFragment());
        Assert.Equal(more, value.HasMoreFragments());
        Assert.Equal(value, (value & ~DatagramFlags.SourceNodeTypeMask).WithSourceNodeType(nodeType));
    }

    [Fact]
    public void Fragment_LargePayload_SplitsWithRfcFlagsAndOffsets()
    {
        byte[] data = Enumerable.Range(0, 1200).Select(i => (byte)i).ToArray();

        var fragments = UserDatagram.Fragment(DatagramMessageType.DirectGroup, 9, Source, From, To, data, nodeType: DatagramSourceNodeType.MNode);

        // 576 − 14 − 34 − 34 = 494 bytes of data per fragment: 494 + 494 + 212.
        Assert.Equal(3, fragments.Count);
        Assert.Equal(DatagramFlags.First | DatagramFlags.More | (DatagramFlags)0x08, fragments[0].Header.Flags);
        Assert.Equal(DatagramFlags.More | (DatagramFlags)0x08, fragments[1].Header.Flags);
        Assert.Equal((DatagramFlags)0x08, fragments[2].Header.Flags);
        Assert.Equal(new ushort[] { 0, 494, 988 }, fragments.Select(f => f.PacketOffset));
        Assert.Equal(new[] { 494, 494, 212 }, fragments.Select(f => f.UserData.Length));
        Assert.All(fragments, f => Assert.Equal(576, Math.Max(576, f.GetEncodedLength())));
        Assert.Equal(576, fragments[0].GetEncodedLength());
        Assert.All(fragments, f =>
        {
            Assert.Equal(From, f.SourceName);
            Assert.Equal(To, f.DestinationName);
            Assert.Equal((ushort)9, f.Header.DatagramId);
            byte[] wire = f.ToArray();
            Assert.True(DatagramPacket.TryDecode(wire, out var decoded, out _));
            Assert.Equal(f, decoded);
            Assert.Equal(f.PacketOffset, wire[12] << 8 | wire[13]);
        });
        Assert.Equal(data, fragments.SelectMany(f => f.UserData.ToArray()).ToArray());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, 1)]
    [InlineData(494, 1)]
    [InlineData(495, 2)]
    [InlineData(988, 2)]
    [InlineData(989, 3)]
    public void Fragment_BoundarySizes_GiveExpectedCountAndUnfragmentedSingle(int size, int count)
    {
        var fragments = UserDatagram.Fragment(DatagramMessageType.DirectUnique, 1, Source, From, To, new byte[size]);

        Assert.Equal(count, fragments.Count);
        Assert.True(fragments[0].IsFirst);
        Assert.False(fragments[^1].HasMore);
        Assert.Equal(count == 1, fragments[0].IsUnfragmented);
        Assert.All(fragments.Skip(1), f => Assert.False(f.IsFirst));
        Assert.All(fragments.SkipLast(1), f => Assert.True(f.HasMore));
        Assert.All(fragments, f => Assert.True(f.GetEncodedLength() <= 576));
    }

    [Fact]
    public void Fragment_SmallMaximumAndScope_EachFragmentFits()
    {
        var from = From.WithScope("A.LONGER.SCOPE");
        var to = To.WithScope("A.LONGER.SCOPE");
        byte[] data = new byte[5000];
        new Random(17).NextBytes(data);

        var fragments = UserDatagram.Fragment(DatagramMessageType.Broadcast, 3, Source, from, to, data, maxPacketLength: 200);

        Assert.All(fragments, f => Assert.True(f.ToArray().Length <= 200));
        Assert.Equal(data, fragments.SelectMany(f => f.UserData.ToArray()).ToArray());
        Assert.All(fragments, f => Assert.Equal(from, f.SourceName));
    }

    [Fact]
    public void Fragment_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UserDatagram.Fragment(DatagramMessageType.DirectUnique, 1, Source, From, To, new byte[1], maxPacketLength: 14 + 68));
        Assert.Throws<ArgumentOutOfRangeException>(() => UserDatagram.Fragment(DatagramMessageType.DirectUnique, 1, Source, From, To, new byte[1], maxPacketLength: 70_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => UserDatagram.Fragment(DatagramMessageType.DirectUnique, 1, Source, From, To, new byte[200_000]));
        Assert.Throws<ArgumentException>(() => UserDatagram.Fragment(DatagramMessageType.Error, 1, Source, From, To, new byte[1]));
        Assert.Throws<ArgumentException>(() => UserDatagram.Create(DatagramMessageType.QueryRequest, 1, Source, From, To, new byte[1]));
        Assert.Throws<ArgumentException>(() => UserDatagram.Create(DatagramMessageType.DirectUnique, 1, new IPEndPoint(IPAddress.IPv6Loopback, 138), From, To, new byte[1]));
        Assert.Throws<ArgumentException>(() => UserDatagram.Create(DatagramMessageType.DirectUnique, 1, Source, From, To, new byte[65535]));
        Assert.Throws<ArgumentException>(() => DatagramQueryPacket.Create(DatagramMessageType.Broadcast, 1, Source, To));
        Assert.Throws<ArgumentException>(() => new DatagramHeader(DatagramMessageType.DirectUnique, 0, 1, IPAddress.IPv6Loopback, 138));
    }

    [Fact]
    public void Encode_OversizedUserData_FailsWithoutThrowing()
    {
        var packet = new UserDatagram(new DatagramHeader(DatagramMessageType.DirectUnique, DatagramFlags.First, 1, Source.Address, 138), 0, From, To, new byte[65535]);

        Assert.False(packet.TryEncode(new byte[70_000], out int written));
        Assert.Equal(0, written);
        Assert.Throws<InvalidOperationException>(() => packet.ToArray());
    }

    [Fact]
    public void Encode_DefaultHeader_WritesZeroAddress()
    {
        var packet = new DatagramErrorPacket(default, DatagramErrorCode.InvalidSourceNameFormat);

        Assert.Equal("0000000000000000000083", Hex.Format(packet.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TryDecode_EveryTruncation_FailsWithoutThrowing(string kind)
    {
        byte[] bytes = Build(kind).ToArray();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(DatagramPacket.TryDecode(bytes.AsSpan(0, length), out var packet, out var error), $"{kind} truncated to {length}");
            Assert.Null(packet);
            Assert.NotEqual(DatagramDecodeError.None, error);
        }
    }

    [Theory]
    [InlineData(0xFFFF)]
    [InlineData(74)]       // one more than the 73 bytes present
    public void TryDecode_DgmLengthBeyondDatagram_IsBadLength(int dgmLength)
    {
        byte[] bytes = Build("unique").ToArray();
        bytes[10] = (byte)(dgmLength >> 8);
        bytes[11] = (byte)dgmLength;

        Assert.False(DatagramPacket.TryDecode(bytes, out _, out var error));
        Assert.Equal(DatagramDecodeError.BadLength, error);
    }

    [Theory]
    [InlineData(72)]       // one byte of the data not covered
    [InlineData(40)]       // shorter than the two names
    [InlineData(0)]
    public void TryDecode_DgmLengthShorterThanDatagram_IsBadLength(int dgmLength)
    {
        byte[] bytes = Build("unique").ToArray();
        bytes[10] = (byte)(dgmLength >> 8);
        bytes[11] = (byte)dgmLength;

        Assert.False(DatagramPacket.TryDecode(bytes, out _, out var error));
        Assert.Equal(DatagramDecodeError.BadLength, error);
    }

    [Fact]
    public void TryDecode_TrailingBytesAfterErrorOrQuery_AreRejected()
    {
        byte[] error = [.. Build("error").ToArray(), 0x00];
        byte[] query = [.. Build("query").ToArray(), 0x00];

        Assert.False(DatagramPacket.TryDecode(error, out _, out var e1));
        Assert.Equal(DatagramDecodeError.TrailingBytes, e1);
        Assert.False(DatagramPacket.TryDecode(query, out _, out var e2));
        Assert.Equal(DatagramDecodeError.TrailingBytes, e2);
    }

    [Fact]
    public void TryDecode_PointerInDestinationName_IsRejected()
    {
        byte[] bytes = Build("unique").ToArray();
        // Replace the destination name with a pointer to the source name (legal in NBNS, not in NBDS).
        byte[] forged = [.. bytes[..(14 + 34)], 0xC0, 14, .. "hello"u8.ToArray()];
        forged[11] = (byte)(forged.Length - 14);

        Assert.False(DatagramPacket.TryDecode(forged, out _, out var error));
        Assert.Equal(DatagramDecodeError.BadDestinationName, error);
    }

    [Fact]
    public void TryDecode_PointerInSourceOrQueryName_IsRejected()
    {
        byte[] unique = Build("unique").ToArray();
        byte[] source = [.. unique[..14], 0xC0, 0x00, .. unique[(14 + 34)..]];
        source[11] = (byte)(source.Length - 14);
        byte[] query = [.. Build("query").ToArray()[..10], 0xC0, 0x00];

        Assert.False(DatagramPacket.TryDecode(source, out _, out var e1));
        Assert.Equal(DatagramDecodeError.BadSourceName, e1);
        Assert.False(DatagramPacket.TryDecode(query, out _, out var e2));
        Assert.Equal(DatagramDecodeError.BadDestinationName, e2);
        Assert.False(NameCodec.TryRead(source, 14, allowPointers: false, out _, out _, out var nameError));
        Assert.Equal(NameDecodeError.PointerNotAllowed, nameError);
    }

    [Theory]
    [InlineData(0x0F)]
    [InlineData(0x17)]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    public void TryDecode_UnknownMessageType_IsRejected(byte type)
    {
        byte[] bytes = Build("unique").ToArray();
        bytes[0] = type;

        Assert.False(DatagramPacket.TryDecode(bytes, out _, out var error));
        Assert.Equal(DatagramDecodeError.UnknownType, error);
    }

    [Theory]
    [InlineData(15, (byte)'Z', DatagramDecodeError.BadSourceName)]       // first-level character outside A..P
    [InlineData(16, (byte)'a', DatagramDecodeError.BadSourceName)]
    [InlineData(14 + 34 + 5, (byte)'Q', DatagramDecodeError.BadDestinationName)]
    [InlineData(14, 0x1F, DatagramDecodeError.BadSourceName)]             // first label not 32
    [InlineData(14, 0x40, DatagramDecodeError.BadSourceName)]             // reserved label type 01
    public void TryDecode_BadNameBytes_AreRejected(int offset, byte value, DatagramDecodeError expected)
    {
        byte[] bytes = Build("unique").ToArray();
        bytes[offset] = value;

        Assert.False(DatagramPacket.TryDecode(bytes, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryDecode_UnknownErrorCodeAndReservedFlags_AreKeptAsReceived()
    {
        byte[] bytes = Hex.Parse("13 f2 0001 0a000001 008a 99");

        Assert.True(DatagramPacket.TryDecode(bytes, out var packet, out _));
        var error = Assert.IsType<DatagramErrorPacket>(packet);
        Assert.Equal((DatagramErrorCode)0x99, error.ErrorCode);
        Assert.Equal((DatagramFlags)0xF2, error.Header.Flags);
        Assert.Equal(Hex.Format(bytes), Hex.Format(packet.ToArray()));
    }

    [Fact]
    public void TryDecode_RandomMutations_NeverThrowAndReencodeExactly()
    {
        var random = new Random(138);
        byte[][] seeds = [.. Kinds.Select(k => Build((string)k.Data).ToArray())];
        int decoded = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])seeds[i % seeds.Length].Clone();
            int mutations = 1 + random.Next(4);
            for (int m = 0; m < mutations; m++)
            {
                switch (random.Next(3))
                {
                    case 0:
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                        break;
                    default:
                        // Interesting values at the length fields and name starts.
                        int[] hot = [0, 1, 10, 11, 12, 13, 14, 48];
                        int at = hot[random.Next(hot.Length)];
                        if (at < bytes.Length)
                        {
                            bytes[at] = new byte[] { 0x00, 0x20, 0xC0, 0xFF, 0x3F, 0x7F }[random.Next(6)];
                        }

                        break;
                }
            }

            var input = bytes.AsSpan(0, random.Next(4) == 0 ? random.Next(bytes.Length + 1) : bytes.Length);
            if (DatagramPacket.TryDecode(input, out var packet, out var error))
            {
                // Strict lengths: whatever decodes re-encodes to exactly the bytes received.
                decoded++;
                Assert.Equal(Hex.Format(input), Hex.Format(packet.ToArray()));
            }
            else
            {
                Assert.Null(packet);
                Assert.NotEqual(DatagramDecodeError.None, error);
            }
        }

        Assert.True(decoded > 100, $"only {decoded} mutants decoded");
    }
}
