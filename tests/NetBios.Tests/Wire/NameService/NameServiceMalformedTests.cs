using NetBios.Tests.TestCommon;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Wire.NameService;

public sealed class NameServiceMalformedTests
{
    [Fact]
    public void TryDecode_EveryTruncation_FailsWithoutThrowing()
    {
        foreach (string kind in new[] { "registration", "positive query", "status response", "redirect", "wack" })
        {
            byte[] bytes = NameServicePacketTests.Build(kind).ToArray();
            for (int length = 0; length < bytes.Length; length++)
            {
                Assert.False(NameServicePacket.TryDecode(bytes.AsSpan(0, length), out _, out _), $"{kind} truncated to {length}");
            }
        }
    }

    [Theory]
    [InlineData("header only, QDCOUNT 0xFFFF", "0001 0000 FFFF 0000 0000 0000", NameServiceDecodeError.CountsTooLarge)]
    [InlineData("ANCOUNT 0xFFFF", "0001 8500 0000 FFFF 0000 0000 c00c", NameServiceDecodeError.CountsTooLarge)]
    [InlineData("empty datagram", "", NameServiceDecodeError.TruncatedHeader)]
    [InlineData("label length 64", "0001 0000 0001 0000 0000 0000 40 0000 0000 00", NameServiceDecodeError.BadQuestionName)]
    [InlineData("pointer to itself", "0001 0000 0001 0000 0000 0000 c00c 0020 0001", NameServiceDecodeError.BadQuestionName)]
    [InlineData("forward pointer", "0001 0000 0001 0000 0000 0000 c012 0020 0001 0000", NameServiceDecodeError.BadQuestionName)]
    [InlineData("pointer as last byte", "0001 0000 0001 0000 0000 0000 20 4141414141414141414141414141414141414141414141414141414141414141 c0", NameServiceDecodeError.BadQuestionName)]
    [InlineData("non A-P nibble", "0001 0000 0001 0000 0000 0000 20 5a41414141414141414141414141414141414141414141414141414141414141 00 0020 0001", NameServiceDecodeError.BadQuestionName)]
    [InlineData("odd name length", "0001 0000 0001 0000 0000 0000 1f 41414141414141414141414141414141414141414141414141414141414141 00 0020 0001", NameServiceDecodeError.BadQuestionName)]
    [InlineData("question without type", "0001 0000 0001 0000 0000 0000 20 4141414141414141414141414141414141414141414141414141414141414141 00 0020", NameServiceDecodeError.TruncatedQuestion)]
    [InlineData("RDLENGTH past end", "0001 8500 0000 0001 0000 0000 20 4141414141414141414141414141414141414141414141414141414141414141 00 0020 0001 00000000 0010 6000 0a000001", NameServiceDecodeError.RdataPastEnd)]
    [InlineData("record without fixed part", "0001 8500 0000 0001 0000 0000 20 4141414141414141414141414141414141414141414141414141414141414141 00 0020 0001 0000", NameServiceDecodeError.TruncatedRecord)]
    [InlineData("RR pointer loop", "0001 8500 0000 0001 0000 0000 c00c 0020 0001 00000000 0000", NameServiceDecodeError.BadRecordName)]
    public void TryDecode_Malformed_ReturnsReason(string what, string hex, NameServiceDecodeError expected)
    {
        Assert.False(NameServicePacket.TryDecode(Hex.Parse(hex), out _, out var error), what);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryDecode_NbRdataOfFiveBytes_IsKeptRawAndNotAPositiveResponse()
    {
        byte[] bytes = Hex.Parse("0001 8500 0000 0001 0000 0000 20 4141414141414141414141414141414141414141414141414141414141414141 00 0020 0001 00000000 0005 6000 0a0000");

        Assert.True(NameServicePacket.TryDecode(bytes, out var packet, out _));

        Assert.IsType<RawRecordData>(packet.Answers[0].Data);
        Assert.Equal(NameServicePacketKind.Unknown, packet.Kind);
        Assert.Equal(Hex.Format(bytes), Hex.Format(packet.ToArray()));
    }

    [Fact]
    public void TryDecode_NodeStatusNumNamesLargerThanRdata_IsKeptRaw()
    {
        // NUM_NAMES = 200 but RDLENGTH only holds the statistics: nothing is allocated from NUM_NAMES.
        var rdata = new byte[1 + 46];
        rdata[0] = 200;
        var packet = new NameServicePacket(
            new NameServiceHeader(1, true, NameServiceOpcode.Query, NameServiceFlags.Authoritative, NameServiceRcode.Ok),
            answers: [new ResourceRecord(NetBiosName.Wildcard, RecordType.NBStat, 0, new RawRecordData(rdata))]);

        Assert.True(NameServicePacket.TryDecode(packet.ToArray(), out var decoded, out _));

        Assert.IsType<RawRecordData>(decoded.Answers[0].Data);
        Assert.Equal(NameServicePacketKind.Unknown, decoded.Kind);
    }

    [Fact]
    public void TryDecode_RandomMutations_NeverThrowAndReencodeStably()
    {
        var random = new Random(1002);
        var seeds = new[] { "registration", "positive query", "status response", "redirect", "wack", "negative query", "query with scope" }
            .Select(k => NameServicePacketTests.Build(k).ToArray()).ToArray();
        int decoded = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])seeds[i % seeds.Length].Clone();
            int mutations = 1 + random.Next(4);
            for (int m = 0; m < mutations; m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }

            if (NameServicePacket.TryDecode(bytes, out var packet, out _))
            {
                decoded++;
                byte[] again = packet.ToArray();
                Assert.True(NameServicePacket.TryDecode(again, out var second, out _));
                Assert.Equal(Hex.Format(again), Hex.Format(second.ToArray()));
                Assert.Equal(packet.Kind, second.Kind);
            }
        }

        Assert.True(decoded > 1000, $"only {decoded} mutants decoded; the test would not exercise re-encoding");
    }
}
