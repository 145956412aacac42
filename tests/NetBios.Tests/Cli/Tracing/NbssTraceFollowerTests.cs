using System.Net;
using Nbt.Cli.Tracing;
using Xunit;

namespace NetBios.Tests.Cli.Tracing;

/// <summary>The <c>-vv</c> session service trace on hand-made byte streams: every split, a long message, a refused header.</summary>
public sealed class NbssTraceFollowerTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("10.0.0.1"), 50000);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("10.0.0.2"), 139);

    // Keep-alive, a 5-byte session message, a negative response 0x82, a positive response.
    private static readonly byte[] Stream = [0x85, 0, 0, 0, 0x00, 0, 0, 5, 1, 2, 3, 4, 5, 0x83, 0, 0, 1, 0x82, 0x82, 0, 0, 0];

    private static List<string> Trace(params byte[][] pieces)
    {
        using var writer = new StringWriter();
        var follower = new NbssTraceFollower(new PacketTrace(writer), Client, Server);
        foreach (var piece in pieces)
        {
            follower.Feed(piece);
        }

        return [.. writer.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public void Feed_WholeStream_OneLinePerFrameInDecodeFormat()
    {
        Assert.Equal(
        [
            "   1  10.0.0.1:50000 -> 10.0.0.2:139  NBSS  session keep-alive",
            "   2  10.0.0.1:50000 -> 10.0.0.2:139  NBSS  session message  5 bytes",
            "   3  10.0.0.1:50000 -> 10.0.0.2:139  NBSS  negative session response  0x82 called name not present",
            "   4  10.0.0.1:50000 -> 10.0.0.2:139  NBSS  positive session response",
        ], Trace(Stream).Select(l => l.TrimEnd()));
    }

    [Fact]
    public void Feed_AnySplit_SameLines()
    {
        var whole = Trace(Stream);
        for (int cut = 1; cut < Stream.Length; cut++)
        {
            Assert.Equal(whole, Trace(Stream[..cut], Stream[cut..]));
        }

        Assert.Equal(whole, Trace([.. Stream.Select(b => new[] { b })]));
    }

    [Fact]
    public void Feed_LongMessage_LengthOnly_PayloadNotKept()
    {
        var message = new byte[4 + 100_000];
        message[1] = 0x01; // E bit: length 0x186A0
        message[2] = 0x86;
        message[3] = 0xA0;
        message[4] = 0xFE;
        "SMB"u8.CopyTo(message.AsSpan(5));

        var lines = Trace(message[..50_000], message[50_000..]);

        Assert.Equal("   1  10.0.0.1:50000 -> 10.0.0.2:139  NBSS  session message  100000 bytes  SMB2", Assert.Single(lines).TrimEnd());
    }

    [Fact]
    public void Feed_RefusedHeader_MalformedLine_ThenNothing()
    {
        var lines = Trace([0x00, 0x00, 0x00, 0x01, 0x41, 0x99, 0x00, 0x00, 0x00], [0x85, 0, 0, 0]);

        Assert.Equal(2, lines.Count);
        Assert.Contains("session message  1 bytes", lines[0], StringComparison.Ordinal);
        Assert.Equal("   2  10.0.0.1:50000 -> 10.0.0.2:139  NBSS  type 0x99  99000000  MALFORMED: UnknownType; the rest of this direction is not decoded", lines[1].TrimEnd());
    }
}
