using NetBios.Tests.TestCommon;
using NetBios.Wire;
using Xunit;

namespace NetBios.Tests.Wire;

public sealed class NameCodecTests
{
    // RFC 1001 §14.1 and the seed conformance vectors (docs/STYLE.md Appendix 1).
    [Theory]
    [InlineData("FRED", 0x20, "", "EGFCEFEECACACACACACACACACACACACA")]
    [InlineData("THE NETBIOS NAM", (byte)'E', "SCOPE.ID.COM", "FEEIEFCAEOEFFEECEJEPFDCAEOEBENEF.SCOPE.ID.COM")]
    [InlineData("*", 0x00, "", "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void ToFirstLevelString_RfcVectors(string name, byte suffix, string scope, string expected)
    {
        Assert.Equal(expected, NetBiosName.Create(name, suffix, scope).ToFirstLevelString());
    }

    [Fact]
    public void TryWrite_NameWithScope_IsLengthPrefixedLabels()
    {
        var name = NetBiosName.Create("THE NETBIOS NAM", (byte)'E', "SCOPE.ID.COM");
        byte[] expected = Hex.Parse(
            "20 4645454945464341454f454646454543454a455046444341454f4542454e4546" + // 0x20 + FEEIEFCAEOEFFEECEJEPFDCAEOEBENEF
            "05 53434f5045 | 02 4944 | 03 434f4d | 00");                           // SCOPE ID COM, root

        byte[] buffer = new byte[NameCodec.GetEncodedLength(name)];
        Assert.True(NameCodec.TryWrite(name, buffer, out int written));

        Assert.Equal(expected.Length, written);
        Assert.Equal(Hex.Format(expected), Hex.Format(buffer));
        Assert.True(NameCodec.TryRead(buffer, 0, allowPointers: false, out var decoded, out int consumed));
        Assert.Equal(name, decoded);
        Assert.Equal(written, consumed);
    }

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalse()
    {
        Assert.False(NameCodec.TryWrite(NetBiosName.Create("FRED", 0x20), new byte[33], out _));
    }

    [Fact]
    public void TryRead_PointerToEarlierName_FollowsIt()
    {
        byte[] message = new byte[12 + 34 + 2];
        Assert.True(NameCodec.TryWrite(NetBiosName.Create("FRED", 0x20), message.AsSpan(12), out _));
        message[46] = 0xC0;
        message[47] = 0x0C;

        Assert.True(NameCodec.TryRead(message, 46, allowPointers: true, out var name, out int consumed));

        Assert.Equal("FRED<20>", name.ToString());
        Assert.Equal(2, consumed);
    }

    [Theory]
    [InlineData(NameDecodeError.PointerNotAllowed, false)]
    [InlineData(NameDecodeError.None, true)]
    public void TryRead_Pointer_AllowedOnlyForNameService(NameDecodeError expected, bool allowPointers)
    {
        byte[] message = new byte[12 + 34 + 2];
        NameCodec.TryWrite(NetBiosName.Create("FRED", 0x20), message.AsSpan(12), out _);
        message[46] = 0xC0;
        message[47] = 0x0C;

        NameCodec.TryRead(message, 46, allowPointers, out _, out _, out var error);

        Assert.Equal(expected, error);
    }

    public static TheoryData<string, byte[], int, NameDecodeError> Malformed => new()
    {
        { "empty", [], 0, NameDecodeError.Truncated },
        { "label length 64", [0x40, .. new byte[64], 0], 0, NameDecodeError.ReservedLabelType },
        { "label length 63 first", [0x3F, .. Enumerable.Repeat((byte)'A', 63), 0], 0, NameDecodeError.BadFirstLabelLength },
        { "root only", [0x00], 0, NameDecodeError.BadFirstLabelLength },
        { "odd length 31", [0x1F, .. Enumerable.Repeat((byte)'A', 31), 0], 0, NameDecodeError.BadFirstLabelLength },
        { "nibble Q", [0x20, .. Enumerable.Repeat((byte)'A', 31), (byte)'Q', 0], 0, NameDecodeError.BadNibble },
        { "nibble lower-case", [0x20, .. Enumerable.Repeat((byte)'a', 32), 0], 0, NameDecodeError.BadNibble },
        { "truncated label", [0x20, .. Enumerable.Repeat((byte)'A', 20)], 0, NameDecodeError.Truncated },
        { "no terminator", [0x20, .. Enumerable.Repeat((byte)'A', 32)], 0, NameDecodeError.Truncated },
        { "pointer to itself", [0xC0, 0x00], 0, NameDecodeError.BadPointer },
        { "forward pointer", [0xC0, 0x04, 0, 0, 0x20, .. Enumerable.Repeat((byte)'A', 32), 0], 0, NameDecodeError.BadPointer },
        { "pointer as last byte", [0x00, 0xC0], 1, NameDecodeError.Truncated },
        { "reserved 0x80", [0x80, 0], 0, NameDecodeError.ReservedLabelType },
        { "offset past end", [0x20], 5, NameDecodeError.Truncated },
        { "scope label with dot", [0x20, .. Enumerable.Repeat((byte)'A', 32), 3, (byte)'a', (byte)'.', (byte)'b', 0], 0, NameDecodeError.BadScopeLabel },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryRead_Malformed_FailsWithReason(string what, byte[] message, int offset, NameDecodeError expected)
    {
        Assert.False(NameCodec.TryRead(message, offset, allowPointers: true, out _, out _, out var error), what);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryRead_PointerLoop_IsRejected()
    {
        // A name at 2 whose scope label is followed by a pointer back to 2: a loop if followed blindly.
        byte[] message = [0, 0, 0x20, .. Enumerable.Repeat((byte)'A', 32), 1, (byte)'x', 0xC0, 0x02];

        Assert.False(NameCodec.TryRead(message, 2, allowPointers: true, out _, out _, out var error));
        Assert.Equal(NameDecodeError.BadPointer, error);
    }

    [Fact]
    public void TryRead_PointerChainBackwards_IsFollowedWithinHopLimit()
    {
        // name at 0, then a chain of pointers each pointing to the previous one.
        var list = new List<byte> { 0x20 };
        list.AddRange(Enumerable.Repeat((byte)'A', 32));
        list.Add(0);
        int previous = 0;
        for (int i = 0; i < NameCodec.MaxPointerHops; i++)
        {
            int here = list.Count;
            list.Add((byte)(0xC0 | (previous >> 8)));
            list.Add((byte)previous);
            previous = here;
        }

        byte[] message = [.. list];
        Assert.True(NameCodec.TryRead(message, previous, allowPointers: true, out _, out int consumed));
        Assert.Equal(2, consumed);

        // One more hop is too many.
        list.Add((byte)(0xC0 | (previous >> 8)));
        list.Add((byte)previous);
        Assert.False(NameCodec.TryRead([.. list], list.Count - 2, allowPointers: true, out _, out _, out var error));
        Assert.Equal(NameDecodeError.BadPointer, error);
    }

    [Fact]
    public void TryRead_NameLongerThan255_IsRejected()
    {
        var list = new List<byte> { 0x20 };
        list.AddRange(Enumerable.Repeat((byte)'A', 32));
        for (int i = 0; i < 4; i++)
        {
            list.Add(63);
            list.AddRange(Enumerable.Repeat((byte)'s', 63));
        }

        list.Add(0);

        Assert.False(NameCodec.TryRead([.. list], 0, allowPointers: false, out _, out _, out var error));
        Assert.Equal(NameDecodeError.TooLong, error);
    }

    [Fact]
    public void TryRead_EveryByteValueInName_RoundTrips()
    {
        for (int b = 0; b < 256; b++)
        {
            byte[] raw = Enumerable.Repeat((byte)b, 16).ToArray();
            var name = NetBiosName.FromBytes(raw);
            byte[] buffer = new byte[34];
            NameCodec.TryWrite(name, buffer, out _);

            Assert.True(NameCodec.TryRead(buffer, 0, allowPointers: false, out var decoded, out _));
            Assert.Equal(raw, decoded.ToArray());
        }
    }
}
