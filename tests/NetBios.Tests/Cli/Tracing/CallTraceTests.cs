using System.Net;
using System.Net.Sockets;
using System.Text;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.Cli.Tracing;

/// <summary>
/// Issue 19: <c>nbt call -vv</c> traces the session service frames both ways, one line each as <c>nbt decode</c>
/// prints NBSS, session message payloads by length only. The peer is a raw TCP server on loopback port 0.
/// </summary>
public sealed class CallTraceTests
{
    [Fact(Timeout = 60_000)]
    public async Task Call_Trace_ShowsEverySessionFrameBothWays()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ServeAsync(listener, ct);

        // The second line of input is asked for only once the peer's message was printed: the trace then holds every
        // frame the peer sent before the call hangs up.
        var stdout = new SignallingWriter("world");
        var stdin = new GatedReader("hello", stdout.Seen);
        using var errors = new StringWriter();
        var stderr = TextWriter.Synchronized(errors);
        int exit = await Nbt.Cli.Program.RunAsync(
            ["call", "PEER", "--address", $"127.0.0.1:{port}", "--interface", "127.0.0.1", "--from", "ME", "-vv"],
            stdin, stdout, stderr, null, null, new Dictionary<string, string>());
        Assert.True(exit == 0, errors.ToString());
        var received = await server;

        Assert.Equal("hello", received);
        var lines = errors.ToString().ReplaceLineEndings("\n").Split('\n').Where(l => l.Contains("  NBSS  ", StringComparison.Ordinal)).Select(l => l.TrimEnd()).ToList();
        string me = @"127\.0\.0\.1:\d+";
        string peer = $@"127\.0\.0\.1:{port}";
        Assert.Equal(5, lines.Count);
        // Each direction in order (the two directions interleave as the threads run).
        var sent = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, $@" -> {peer}  ")).ToList();
        var got = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^\s+\d+  {peer} -> ")).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Matches($@"^\s+\d+  {me} -> {peer}  NBSS  session request  called=PEER<00> calling=ME<00>$", sent[0]);
        Assert.Matches($@"^\s+\d+  {me} -> {peer}  NBSS  session message  5 bytes$", sent[1]);
        Assert.Equal(3, got.Count);
        Assert.Matches($@"^\s+\d+  {peer} -> {me}  NBSS  positive session response$", got[0]);
        Assert.Matches($@"^\s+\d+  {peer} -> {me}  NBSS  session keep-alive$", got[1]);
        Assert.Matches($@"^\s+\d+  {peer} -> {me}  NBSS  session message  5 bytes$", got[2]);
        Assert.DoesNotContain("776F726C64", errors.ToString(), StringComparison.OrdinalIgnoreCase); // payloads are not dumped
    }

    private static async Task<string> ServeAsync(TcpListener listener, CancellationToken ct)
    {
        using var client = await listener.AcceptTcpClientAsync(ct);
        var stream = client.GetStream();
        var header = new byte[4];
        await stream.ReadExactlyAsync(header, ct);
        await stream.ReadExactlyAsync(new byte[header[3]], ct); // the session request's names
        byte[] reply = [0x82, 0, 0, 0, 0x85, 0, 0, 0, 0x00, 0, 0, 5, .. "world"u8];
        await stream.WriteAsync(reply, ct);
        await stream.ReadExactlyAsync(header, ct);
        var message = new byte[header[3]];
        await stream.ReadExactlyAsync(message, ct);
        // Until the caller hangs up.
        while (await stream.ReadAsync(new byte[64], ct) > 0)
        {
        }

        return Encoding.ASCII.GetString(message);
    }
}
