using Xunit;

namespace NetBios.Tests;

public sealed class NetBiosNameTests
{
    [Theory]
    [InlineData("FRED<20>", "FRED", 0x20)]
    [InlineData("FRED#1d", "FRED", 0x1D)]
    [InlineData("FRED", "FRED", 0x00)]
    [InlineData("fred<00>", "fred", 0x00)]
    [InlineData("A\\x01B<03>", "A\\x01B", 0x03)]
    [InlineData("BACK\\\\SLASH", "BACK\\\\SLASH", 0x00)]
    public void Parse_ValidText_KeepsBytesAndSuffix(string text, string nameText, byte suffix)
    {
        var name = NetBiosName.Parse(text);

        Assert.Equal(nameText, name.NameText);
        Assert.Equal(suffix, name.Suffix);
    }

    // Issue 19 item 5: one default suffix rule, documented on NetBiosName: a name without a suffix is NAME<00>.
    [Fact]
    public void Parse_WithoutSuffix_IsTheWorkstationNameDefaultSuffix()
    {
        Assert.Equal(0x00, NetBiosName.DefaultSuffix);
        Assert.Equal(NetBiosName.Create("DEMO", 0x00), NetBiosName.Parse("DEMO"));
        Assert.True(NetBiosName.TryParse("DEMO", NetBiosName.DefaultSuffix, null, NetBiosNameOptions.None, out var parsed, out _));
        Assert.Equal("DEMO<00>", parsed.ToString());
        Assert.Equal("DEMO<20>", NetBiosName.Parse("DEMO#20").ToString());
    }

    [Fact]
    public void Create_ShortName_PadsWithSpaces()
    {
        var name = NetBiosName.Create("FRED", 0x20);

        Assert.Equal("FRED            "u8.ToArray()[..15], name.ToArray()[..15]);
        Assert.Equal(0x20, name[15]);
    }

    [Fact]
    public void Wildcard_IsStarAndFifteenNuls()
    {
        var wildcard = NetBiosName.Parse("*", 0x00);

        Assert.Equal(NetBiosName.Wildcard, wildcard);
        Assert.True(wildcard.IsWildcard);
        Assert.Equal([(byte)'*', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], wildcard.ToArray());
        Assert.Equal("*<00>", wildcard.ToString());
    }

    [Fact]
    public void Parse_LowerCase_IsPreservedUnlessAsked()
    {
        Assert.Equal((byte)'f', NetBiosName.Parse("fred")[0]);
        Assert.Equal((byte)'F', NetBiosName.Parse("fred", options: NetBiosNameOptions.UpperCase)[0]);
        Assert.NotEqual(NetBiosName.Parse("fred"), NetBiosName.Parse("FRED"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("SIXTEENCHARACTER", "at most 15")]
    [InlineData("NAME<2G>", "two hex digits")]
    [InlineData("NAME#2", "")]
    [InlineData("BAD\\q", "backslash")]
    [InlineData("日本", "U+65E5")]
    [InlineData("CAFÉ", "U+00C9")]
    [InlineData("A\u0001B", "U+0001")]
    [InlineData("A\nB", "U+000A")]
    [InlineData("\u007F", "U+007F")]
    [InlineData("NAME\t<20>", "U+0009")]
    public void TryParse_InvalidText_GivesOneLineError(string text, string fragment)
    {
        bool ok = NetBiosName.TryParse(text, 0x20, null, NetBiosNameOptions.None, out _, out string? error);

        if (text == "NAME#2")
        {
            // "#2" is not a suffix (two digits are required), so it is part of the name bytes.
            Assert.True(ok);
            return;
        }

        Assert.False(ok);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error!);
    }

    [Theory]
    [InlineData("SCOPE.ID.COM", true)]
    [InlineData(".LEADING", false)]
    [InlineData("TRAILING.", false)]
    [InlineData("DOUBLE..DOT", false)]
    public void ValidateScope_Labels(string scope, bool valid)
    {
        Assert.Equal(valid, NetBiosName.ValidateScope(scope) is null);
    }

    [Fact]
    public void ValidateScope_LabelOf64_IsRejected()
    {
        Assert.NotNull(NetBiosName.ValidateScope(new string('a', 64)));
        Assert.Null(NetBiosName.ValidateScope(new string('a', 63)));
    }

    [Fact]
    public void ToString_UnprintableBytes_RoundTripThroughParse()
    {
        byte[] raw = [0x01, 0x02, (byte)'_', (byte)'_', (byte)'M', (byte)'S', (byte)'B', (byte)'R', (byte)'O', (byte)'W', (byte)'S', (byte)'E', (byte)'_', (byte)'_', 0x02, 0x01];
        var name = NetBiosName.FromBytes(raw);

        string text = name.ToString();

        Assert.Equal("\\x01\\x02__MSBROWSE__\\x02<01>", text);
        Assert.Equal(name, NetBiosName.Parse(text));
    }

    [Fact]
    public void Equality_ComparesScopeCaseSensitively()
    {
        var a = NetBiosName.Create("FRED", 0x20, "scope");
        var b = NetBiosName.Create("FRED", 0x20, "SCOPE");

        Assert.NotEqual(a, b);
        Assert.True(a.BytesEqual(b));
        Assert.Equal("FRED<20>.scope", a.ToString());
    }

    [Fact]
    public void WithSuffix_ChangesOnlyTheLastByte()
    {
        var name = NetBiosName.Create("HOST", 0x00, "S");

        var server = name.WithSuffix(0x20);

        Assert.Equal(0x20, server.Suffix);
        Assert.Equal("HOST", server.NameText);
        Assert.Equal("S", server.Scope);
    }

    // Issue 17 item 8: the text form takes printable ASCII literally and every other byte only as \xNN.
    [Theory]
    [InlineData("A\\x01B", new byte[] { 0x41, 0x01, 0x42 })]
    [InlineData("CAF\\xC9", new byte[] { 0x43, 0x41, 0x46, 0xC9 })]
    [InlineData("MY PC", new byte[] { 0x4D, 0x59, 0x20, 0x50, 0x43 })]
    [InlineData("~!@$%^&()-_", new byte[] { 0x7E, 0x21, 0x40, 0x24, 0x25, 0x5E, 0x26, 0x28, 0x29, 0x2D, 0x5F })]
    public void Parse_PrintableAsciiAndEscapes_GiveTheBytes(string text, byte[] expected)
    {
        var name = NetBiosName.Parse(text);

        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(i => name[i]));
        Assert.Equal(name, NetBiosName.Parse(name.ToString()));
    }

    [Fact]
    public void CreateAndFromBytes_TakeRawBytes_UnlikeParse()
    {
        // The byte-level API (and so wire decoding) keeps taking any byte: only typed text is checked.
        Assert.Equal(0x01, NetBiosName.Create("A\u0001B", 0x20)[1]);
        Assert.Equal(0xC9, NetBiosName.FromBytes([0xC9, .. "              "u8, 0x20])[0]);
        Assert.Throws<FormatException>(() => NetBiosName.Parse("A\u0001B"));
    }

    [Fact]
    public void CompareOrdinal_OrdersByTheSixteenBytesUnsigned_ThenByScope_AsASortOfTheBytesDoes()
    {
        NetBiosName[] names =
        [
            NetBiosName.FromBytes([0xC9, .. "              "u8, 0x00]),
            NetBiosName.Create("B", 0x00, "Z.SCOPE"),
            NetBiosName.Create("B", 0x00),
            NetBiosName.Create("B", 0x00, "A.SCOPE"),
            NetBiosName.Create("A", 0x20),
            NetBiosName.Create("A", 0x00),
            NetBiosName.Create("AB", 0x00),
            NetBiosName.Create("B", 0x1C),
        ];
        var sorted = names.OrderBy(n => n, Comparer<NetBiosName>.Create(NetBiosName.CompareOrdinal)).ToList();

        // The reference: the 16 raw bytes compared as a byte string, then the scope (none first).
        static byte[] Bytes(NetBiosName n)
        {
            byte[] raw = new byte[NetBiosName.Length];
            n.CopyTo(raw);
            return raw;
        }

        var expected = names.OrderBy(Bytes, Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))
            .ThenBy(n => n.Scope, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, sorted);
        Assert.Equal(0xC9, sorted[^1][0]); // 0xC9 sorts after ASCII: unsigned
        Assert.Equal(0, NetBiosName.CompareOrdinal(NetBiosName.Create("X", 0x20, "S"), NetBiosName.Create("X", 0x20, "S")));
    }
}
