using System.Net;
using NetBios.Tests.TestCommon;
using NetBios.Wire;
using NetBios.Wire.Session;
using Xunit;

namespace NetBios.Tests.Wire.Session;

public sealed class SessionPacketTests
{
    public static TheoryData<string> Kinds => new() { "request", "scoped request", "positive", "negative", "retarget", "keepalive", "legacy" };

    internal static SessionPacket Build(string kind) => kind switch
    {
        "request" => new SessionRequest(NetBiosName.Create("PEERSMB", 0x20), NetBiosName.Create("PROBE", 0x00)),
        "scoped request" => new SessionRequest(NetBiosName.Create("PEERSMB", 0x20, "SCOPE.ID"), NetBiosName.Create("PROBE", 0x00, "SCOPE.ID")),
        "positive" => PositiveSessionResponse.Instance,
        "negative" => new NegativeSessionResponse(SessionErrorCode.CalledNameNotPresent),
        "retarget" => new RetargetSessionResponse(IPAddress.Parse("127.0.0.1"), 1139),
        "keepalive" => SessionKeepAlive.Instance,
        "legacy" => LegacyKeepAliveRequest.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EncodeDecode_EveryControlPacket_RoundTrips(string kind)
    {
        var packet = Build(kind);
        byte[] bytes = packet.ToArray();

        Assert.True(SessionPacket.TryDecode(bytes, out var decoded, out var error), error.ToString());

        Assert.Equal(packet, decoded);
        Assert.Equal(packet.Type, decoded.Type);
        Assert.Equal(Hex.Format(bytes), Hex.Format(decoded.ToArray()));
    }

    [Fact]
    public void Encode_SessionRequest_MatchesAnnotatedVector()
    {
        // [RFC 1002] 4.3.2 SESSION REQUEST PACKET
        byte[] expected = Hex.Parse(
            "81" +                         // TYPE SESSION REQUEST
            "00" +                         // FLAGS, E=0
            "0044" +                       // LENGTH 68 = 34 + 34
            "2046414546454646434644454e454343414341434143414341434143414341434100" + // CALLED NAME PEERSMB<20>
            "20464146434550454345464341434143414341434143414341434143414341414100"); // CALLING NAME PROBE<00>

        Assert.Equal(Hex.Format(expected), Hex.Format(Build("request").ToArray()));
        Assert.Equal(SessionRequest.UnscopedTrailerLength, Build("request").TrailerLength);
    }

    [Fact]
    public void Encode_ScopedSessionRequest_CarriesScopeInBothNames()
    {
        byte[] bytes = Build("scoped request").ToArray();

        // Each name: 0x20, 32 chars, 05 SCOPE 02 ID 00 = 43 bytes.
        Assert.Equal("81000056", Hex.Format(bytes.AsSpan(0, 4)));
        Assert.Equal("0553434f504502494400", Hex.Format(bytes.AsSpan(4 + 33, 10)));
        Assert.Equal("0553434f504502494400", Hex.Format(bytes.AsSpan(4 + 43 + 33, 10)));
    }

    [Theory]
    [InlineData("positive", "82000000")]   // [RFC 1002] 4.3.3 POSITIVE SESSION RESPONSE
    [InlineData("negative", "8300000182")] // [RFC 1002] 4.3.4 NEGATIVE SESSION RESPONSE, ERROR_CODE 0x82 called name not present
    [InlineData("retarget", "840000067f0000010473")] // [RFC 1002] 4.3.5 RETARGET: 127.0.0.1, port 1139
    [InlineData("keepalive", "85000000")]  // [RFC 1002] 4.3.7 SESSION KEEP ALIVE
    [InlineData("legacy", "89000000")]     // non-standard keepalive request of old clients
    public void Encode_ControlPacket_MatchesVector(string kind, string hex)
    {
        Assert.Equal(hex, Hex.Format(Build(kind).ToArray()));
    }

    [Theory]
    [InlineData(0, "00000000")]            // an empty message is legal on the wire
    [InlineData(1000, "000003e8")]
    [InlineData(65535, "0000ffff")]
    [InlineData(65536, "00010000")]        // E bit = 17th bit of LENGTH
    [InlineData(131071, "0001ffff")]
    public void TryWriteMessageHeader_Lengths_SetEBitAbove65535(int length, string hex)
    {
        byte[] header = new byte[4];

        Assert.True(SessionHeader.TryWriteMessageHeader(header, length));

        Assert.Equal(hex, Hex.Format(header));
        Assert.True(SessionHeader.TryRead(header, SessionHeader.MaxLength, out var read, out _));
        Assert.Equal(new SessionHeader(SessionPacketType.SessionMessage, length), read);
    }

    [Fact]
    public void TryWriteMessageHeader_BadLengthOrShortBuffer_FailsOrThrows()
    {
        Assert.False(SessionHeader.TryWriteMessageHeader(new byte[3], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionHeader.TryWriteMessageHeader(new byte[4], 131072));
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionHeader.TryWriteMessageHeader(new byte[4], -1));
    }

    [Theory]
    [InlineData("00 01 ffff", 131071, SessionFrameError.None, 0x1FFFF)]      // E bit: 17-bit length
    [InlineData("00 00 0000", 131071, SessionFrameError.None, 0)]            // empty message
    [InlineData("00 01 ffff", 65536, SessionFrameError.TooLong, 0)]          // SMBLoris header above the maximum
    [InlineData("00 00 0401", 1024, SessionFrameError.TooLong, 0)]
    [InlineData("00 00 0400", 1024, SessionFrameError.None, 1024)]
    [InlineData("81 00 0044", 131071, SessionFrameError.None, 68)]
    [InlineData("81 00 0002", 131071, SessionFrameError.None, 2)]
    [InlineData("81 00 0100", 131071, SessionFrameError.None, 256)]
    [InlineData("81 00 0101", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("81 00 0001", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("81 00 0000", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("81 01 0044", 131071, SessionFrameError.BadLengthForType, 0)] // E bit on a request: 65604
    [InlineData("82 00 0001", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("82 01 0000", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("83 00 0000", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("83 00 0002", 131071, SessionFrameError.BadLengthForType, 0)] // a negative response with length 2
    [InlineData("84 00 0005", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("84 00 0007", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("85 00 0001", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("89 00 0001", 131071, SessionFrameError.BadLengthForType, 0)]
    [InlineData("89 00 0000", 131071, SessionFrameError.None, 0)]
    [InlineData("86 00 0000", 131071, SessionFrameError.UnknownType, 0)]
    [InlineData("01 00 0000", 131071, SessionFrameError.UnknownType, 0)]
    [InlineData("ff 00 0000", 131071, SessionFrameError.UnknownType, 0)]
    public void TryRead_Header_AppliesPerTypeRules(string hex, int max, SessionFrameError expected, int length)
    {
        bool ok = SessionHeader.TryRead(Hex.Parse(hex), max, out var header, out var error);

        Assert.Equal(expected, error);
        Assert.Equal(expected == SessionFrameError.None, ok);
        if (ok)
        {
            Assert.Equal(length, header.Length);
        }
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x04)]
    [InlineData(0x08)]
    [InlineData(0x10)]
    [InlineData(0x20)]
    [InlineData(0x40)]
    [InlineData(0x80)]
    [InlineData(0xFE)]
    [InlineData(0x03)]
    public void TryRead_ReservedFlagBit_IsRejected(byte flags)
    {
        foreach (byte type in new byte[] { 0x00, 0x81, 0x82, 0x85 })
        {
            byte[] header = [type, flags, 0x00, type == 0x81 ? (byte)68 : (byte)0];

            Assert.False(SessionHeader.TryRead(header, SessionHeader.MaxLength, out _, out var error));
            Assert.Equal(SessionFrameError.ReservedFlags, error);
        }
    }

    [Fact]
    public void TryRead_EveryUnknownType_IsRejected()
    {
        byte[] known = [0x00, 0x81, 0x82, 0x83, 0x84, 0x85, 0x89];
        for (int type = 0; type < 256; type++)
        {
            if (known.Contains((byte)type))
            {
                continue;
            }

            Assert.False(SessionHeader.TryRead([(byte)type, 0, 0, 0], SessionHeader.MaxLength, out _, out var error));
            Assert.Equal(SessionFrameError.UnknownType, error);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TryDecode_EveryTruncationAndOneExtraByte_Fails(string kind)
    {
        byte[] bytes = Build(kind).ToArray();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(SessionPacket.TryDecode(bytes.AsSpan(0, length), out var packet, out var error), $"{kind} truncated to {length}");
            Assert.Null(packet);
            Assert.NotEqual(SessionFrameError.None, error);
        }

        Assert.False(SessionPacket.TryDecode([.. bytes, 0x00], out _, out var extra));
        Assert.Equal(SessionFrameError.BadBody, extra);
    }

    [Fact]
    public void TryDecode_NegativeResponseWithLength2_IsRejected()
    {
        Assert.False(SessionPacket.TryDecode(Hex.Parse("83 00 0002 82 00"), out _, out var error));

        Assert.Equal(SessionFrameError.BadLengthForType, error);
    }

    [Fact]
    public void TryDecode_SessionMessage_IsNotAControlPacket()
    {
        Assert.False(SessionPacket.TryDecode(Hex.Parse("00 00 0002 ff 53"), out _, out var error));

        Assert.Equal(SessionFrameError.NotAControlPacket, error);
    }

    [Fact]
    public void TryDecode_SessionRequestWithPointers_IsRejected()
    {
        byte[] request = Build("request").ToArray();
        byte[] callingPointer = [0x81, 0, 0, 36, .. request.AsSpan(4, 34), 0xC0, 0x04];
        byte[] calledPointer = [0x81, 0, 0, 36, 0xC0, 0x26, .. request.AsSpan(4 + 34, 34)];

        Assert.False(SessionPacket.TryDecode(callingPointer, out _, out var e1));
        Assert.Equal(SessionFrameError.BadCallingName, e1);
        Assert.False(SessionPacket.TryDecode(calledPointer, out _, out var e2));
        Assert.Equal(SessionFrameError.BadCalledName, e2);
        Assert.False(NameCodec.TryRead(calledPointer, 4, allowPointers: false, out _, out _, out var nameError));
        Assert.Equal(NameDecodeError.PointerNotAllowed, nameError);
    }

    [Theory]
    [InlineData(5, (byte)'Z', SessionFrameError.BadCalledName)]            // first-level character outside A..P
    [InlineData(4 + 34 + 1, (byte)'q', SessionFrameError.BadCallingName)]
    [InlineData(4, 0x10, SessionFrameError.BadCalledName)]                 // first label 16, not 32
    [InlineData(4 + 34, 0x80, SessionFrameError.BadCallingName)]           // reserved label type 10
    [InlineData(4 + 33, 0x01, SessionFrameError.BadCalledName)]            // terminator replaced: label runs on
    public void TryDecode_SessionRequestWithBadNameBytes_IsRejected(int offset, byte value, SessionFrameError expected)
    {
        byte[] bytes = Build("request").ToArray();
        bytes[offset] = value;

        Assert.False(SessionPacket.TryDecode(bytes, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryDecode_SessionRequestNamesNotFillingLength_IsBadBody()
    {
        byte[] request = Build("request").ToArray();
        byte[] trailing = [0x81, 0, 0, 69, .. request.AsSpan(4, 68), 0x00];
        byte[] oneName = [0x81, 0, 0, 34, .. request.AsSpan(4, 34)];
        byte[] truncatedName = [0x81, 0, 0, 12, 0x20, .. Enumerable.Repeat((byte)'A', 11)];

        Assert.False(SessionPacket.TryDecode(trailing, out _, out var e1));
        Assert.Equal(SessionFrameError.BadBody, e1);
        Assert.False(SessionPacket.TryDecode(oneName, out _, out var e2));
        Assert.Equal(SessionFrameError.BadCallingName, e2);
        Assert.False(SessionPacket.TryDecode(truncatedName, out _, out var e3));
        Assert.Equal(SessionFrameError.BadCalledName, e3);
    }

    [Fact]
    public void Encode_SessionRequestAbove256Bytes_Fails()
    {
        string scope = string.Join('.', Enumerable.Repeat(new string('S', 60), 3));
        var request = new SessionRequest(NetBiosName.Create("A", 0x20, scope), NetBiosName.Create("B", 0, scope));

        Assert.True(request.TrailerLength > 256);
        Assert.False(request.TryEncode(new byte[1024], out int written));
        Assert.Equal(0, written);
        Assert.Throws<InvalidOperationException>(() => request.ToArray());
    }

    [Fact]
    public void RetargetSessionResponse_IPv6Address_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RetargetSessionResponse(IPAddress.IPv6Loopback, 139));
        Assert.Throws<ArgumentException>(() => (Build("retarget") as RetargetSessionResponse)! with { Address = IPAddress.IPv6Any });
    }

    [Fact]
    public void TryDecode_RandomMutations_NeverThrowAndReencodeExactly()
    {
        var random = new Random(139);
        byte[][] seeds = [.. Kinds.Select(k => Build((string)k.Data).ToArray())];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])seeds[i % seeds.Length].Clone();
            for (int m = 0; m < 1 + random.Next(3); m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var input = bytes.AsSpan(0, random.Next(4) == 0 ? random.Next(bytes.Length + 1) : bytes.Length);
            if (SessionPacket.TryDecode(input, out var packet, out _))
            {
                Assert.Equal(Hex.Format(input), Hex.Format(packet.ToArray()));
            }
        }
    }
}
