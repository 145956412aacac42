using System.Text.Json;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary><c>nbt decode</c> in-process: captures, hex on stdin, JSON, and one-line errors.</summary>
public sealed class DecodeCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, input, stdout, stderr);
        return (exit, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }

    /// <summary>
    /// Every capture decodes; the only MALFORMED packets are nbss_probe.py's two deliberately malformed session
    /// requests in nbss-smbd-139.pcap (frame 261: a 16-byte first label; frame 275: an 11-byte trailer).
    /// </summary>
    [Theory]
    [InlineData("bnode-nbns-nbds.pcap", new int[0])]
    [InlineData("wins-nmbd-peersNS.pcap", new int[0])]
    [InlineData("nbss-smbd-139.pcap", new[] { 261, 275 })]
    public async Task Decode_EveryCapture_OnlyTheKnownMalformedPackets(string capture, int[] malformedFrames)
    {
        var (exit, stdout, stderr) = await RunAsync(string.Empty, "decode", TestPaths.Capture(capture));

        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        var lines = stdout.Split('\n');
        var malformed = lines.Select((line, i) => (line, i)).Where(x => x.line.Contains("MALFORMED:", StringComparison.Ordinal))
            .Select(x => int.Parse(lines[x.i - 1].AsSpan(0, 5).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(malformedFrames, malformed);
        Assert.True(lines.Count(l => l.Length > 5 && char.IsAsciiDigit(l[3])) > 10);
    }

    [Fact]
    public async Task Decode_SessionCapture_ShowsEveryControlPacketKind()
    {
        var (_, stdout, _) = await RunAsync(string.Empty, "decode", TestPaths.Capture("nbss-smbd-139.pcap"));

        Assert.Contains("NBSS  session request  called=", stdout, StringComparison.Ordinal);
        Assert.Contains("NBSS  positive session response", stdout, StringComparison.Ordinal);
        Assert.Contains("NBSS  negative session response  0x8", stdout, StringComparison.Ordinal);
        Assert.Contains("NBSS  retarget session response", stdout, StringComparison.Ordinal);
        Assert.Contains("NBSS  keep-alive request (0x89)", stdout, StringComparison.Ordinal);
        Assert.Contains("NBSS  session message  ", stdout, StringComparison.Ordinal);
    }

    /// <summary>The first packets of the WINS capture, compared with TestData/decode/wins-nmbd-peersNS.head.txt.</summary>
    [Fact]
    public async Task Decode_WinsCapture_MatchesSnapshot()
    {
        string expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "decode", "wins-nmbd-peersNS.head.txt"))
            .Replace("\r\n", "\n", StringComparison.Ordinal);
        var (_, stdout, _) = await RunAsync(string.Empty, "decode", TestPaths.Capture("wins-nmbd-peersNS.pcap"));

        Assert.Equal(expected, stdout[..expected.Length]);
    }

    // [RFC 1002] 4.2.12 NAME QUERY REQUEST for FRED<20>, broadcast with RD, as printed by xxd, by hexdump -C and as plain hex.
    private const string FredQuery = "1234011000010000000000002045474643454645454341434143414341434143414341434143414341434143410000200001";

    [Theory]
    [InlineData("12 34 01 10 00 01 00 00 00 00 00 00\n20 45 47 46 43 45 46 45 45 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 43 41 00\n00 20 00 01\n")]
    [InlineData("0x12,0x34,0x01,0x10 0x00 0x01 00:00:00:00:00:00 # header\n204547464345464545434143414341434143414341434143414341434143 41434100 00200001")]
    [InlineData("00000000: 1234 0110 0001 0000 0000 0000 2045 4746  .4.......... EGF\n00000010: 4345 4645 4543 4143 4143 4143 4143 4143  CEFEECACACACACAC\n00000020: 4143 4143 4143 4143 4143 4143 4100 0020  ACACACACACACA.. \n00000030: 0001                                     ..\n")]
    [InlineData("00000000  12 34 01 10 00 01 00 00  00 00 00 00 20 45 47 46  |.4.......... EGF|\n00000010  43 45 46 45 45 43 41 43  41 43 41 43 41 43 41 43  |CEFEECACACACACAC|\n00000020  41 43 41 43 41 43 41 43  41 43 41 43 41 00 00 20  |ACACACACACACA.. |\n00000030  00 01                                             |..|\n00000032\n")]
    public async Task Decode_HexOnStdin_RfcNameQueryForFred(string hex)
    {
        var (exit, stdout, stderr) = await RunAsync(hex, "decode");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("   1  NBNS (auto)  name query request  FRED<20>  trn=0x1234  B RD\n", stdout, StringComparison.Ordinal);
        Assert.Contains("question  FRED<20>  NB IN", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_HexBlocks_EachDecodedWithTheChosenOrGuessedProtocol()
    {
        string hex = FredQuery + "\n\n83 00 00 01 82\n\n85000000 82000000\n";

        var (exit, stdout, _) = await RunAsync(hex, "decode", "--json");
        var packets = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();

        Assert.Equal(0, exit);
        Assert.Equal(["NBNS (auto)", "NBSS (auto)", "NBSS (auto)", "NBSS (auto)"], packets.Select(p => p.GetProperty("protocol").GetString()));
        Assert.Equal(["name query request", "negative session response", "session keep-alive", "positive session response"],
            packets.Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal([1, 2, 3, 3], packets.Select(p => p.GetProperty("frame").GetInt32()));

        var (_, forced, _) = await RunAsync("83 00 00 01 82", "decode", "--protocol", "nbns");
        Assert.Contains("MALFORMED: TruncatedHeader", forced, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_Json_IsAnArrayWithMalformedReasons()
    {
        var (exit, stdout, _) = await RunAsync(string.Empty, "decode", TestPaths.Capture("nbss-smbd-139.pcap"), "--json");
        var packets = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToList();

        Assert.Equal(0, exit);
        var malformed = packets.Where(p => p.GetProperty("malformed").ValueKind == JsonValueKind.String).ToList();
        Assert.Equal([261, 275], malformed.Select(p => p.GetProperty("frame").GetInt32()));
        Assert.All(malformed, p => Assert.Equal("BadCalledName", p.GetProperty("malformed").GetString()));
        Assert.All(packets, p => Assert.Contains(p.GetProperty("protocol").GetString(), new[] { "NBNS", "NBDS", "NBSS" }));
    }

    [Theory]
    [InlineData("zz zz\n", 2)]
    [InlineData("123\n", 2)]
    [InlineData("", 2)]
    public async Task Decode_BadHex_OneLineAndExit2(string hex, int expected)
    {
        var (exit, _, stderr) = await RunAsync(hex, "decode");

        Assert.Equal(expected, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("nbt: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_UnknownProtocol_IsAUsageError()
    {
        var (exit, _, stderr) = await RunAsync("00", "decode", "--protocol", "smb");

        Assert.Equal(2, exit);
        Assert.Contains("--protocol", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_GarbageFile_OneLineAndExit1()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nbt-decode-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))], TestContext.Current.CancellationToken);
        try
        {
            var (exit, stdout, stderr) = await RunAsync(string.Empty, "decode", path);

            Assert.Equal(1, exit);
            Assert.Equal(string.Empty, stdout);
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains("not a pcap or pcapng capture", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Decode_MissingFile_OneLineAndExit2()
    {
        var (exit, _, stderr) = await RunAsync(string.Empty, "decode", "/nonexistent/capture.pcap");

        Assert.Equal(2, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_TruncatedCapture_PrintsWhatWasReadAndANote()
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.Capture("wins-nmbd-peersNS.pcap"));
        string path = Path.Combine(Path.GetTempPath(), $"nbt-decode-{Guid.NewGuid():N}.pcap");
        await File.WriteAllBytesAsync(path, bytes.AsMemory(0, bytes.Length / 2), TestContext.Current.CancellationToken);
        try
        {
            var (exit, stdout, stderr) = await RunAsync(string.Empty, "decode", path);

            Assert.Equal(0, exit);
            Assert.StartsWith("   1  ", stdout, StringComparison.Ordinal);
            Assert.Contains("note: ", stderr, StringComparison.Ordinal);
            Assert.Contains("truncated", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
