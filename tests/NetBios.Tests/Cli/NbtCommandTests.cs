using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NetBios.Tests.NameService;
using NetBios.Tests.TestCommon;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>The nbt tool in-process: bad input gives one line and a documented exit code; real work over loopback UDP.</summary>
public sealed class NbtCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("query", "BAD<ZZ>")]
    [InlineData("query", "X", "--port", "99999")]
    [InlineData("query", "X", "--node-type", "Q")]
    [InlineData("query", "THIS-NAME-IS-TOO-LONG")]
    [InlineData("query", "X", "--scope", "bad..scope")]
    [InlineData("query", "X", "--wins", "not-an-address")]
    [InlineData("node", "--node-type", "P")]
    [InlineData("node", "--refresh", "0")]
    [InlineData("bogus")]
    [InlineData("query")]
    [InlineData("send", "ONLYNAME")]
    [InlineData("send", "--broadcast", "A", "B")]
    [InlineData("send", "BOB", "zz", "--hex")]
    [InlineData("send", "BOB", "hi", "--datagram-port", "0")]
    [InlineData("listen", "BOB", "--count", "0")]
    [InlineData("chat")]
    [InlineData("chat", "ME", "--group", "BAD<ZZ>")]
    public async Task BadArguments_OneLineErrorAndExitCode2(params string[] args)
    {
        var (exit, _, err) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("nbt: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    /// <summary>Issue 17 item 8: names with bytes that cannot be typed, targets that look like addresses but are not, ports out of range.</summary>
    [Theory]
    [InlineData("query", "A\u0001B")]
    [InlineData("query", "CAF\u00C9")]
    [InlineData("query", "A\nB")]
    [InlineData("query", "A\u001B[31mB")]
    [InlineData("send", "BOB", "hi", "--from", "ME\u0007")]
    [InlineData("status", "300.1.1.1")]
    [InlineData("status", "10.1.1")]
    [InlineData("status", "1.2.3.4.5")]
    [InlineData("call", "X", "--address", "127.0.0.1:0")]
    [InlineData("call", "X", "--address", "127.0.0.1:65536")]
    [InlineData("call", "X", "--address", "127.0.0.1:-1")]
    [InlineData("call", "X", "--address", "10.1:139")]
    [InlineData("query", "X", "--wins", "127.0.0.1:0")]
    [InlineData("query", "X", "--unicast", "127.0.0.1:99999")]
    [InlineData("send", "BOB", "hi", "--datagram-port", "-1")]
    [InlineData("listen", "BOB", "--datagram-port", "-1")]
    [InlineData("serve", "BOB", "--session-port", "70000")]
    [InlineData("call", "X", "--session-port", "0")]
    [InlineData("query", "X", "--port", "-5")]
    public async Task BadNamesTargetsAndPorts_OneLineErrorAndExitCode2(params string[] args)
    {
        var (exit, _, err) = await RunAsync(args);

        Assert.True(exit == 2, err);
        Assert.StartsWith("nbt: ", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(err, c => char.IsControl(c) && c != '\n');
    }

    [Theory]
    [InlineData("'300.1.1.1' looks like an IPv4 address but is not one", "status", "300.1.1.1")]
    [InlineData("--address '127.0.0.1:0': the port must be a number from 1 to 65535", "call", "X", "--address", "127.0.0.1:0")]
    [InlineData("character 2 of the name is U+0001", "query", "A\u0001B")]
    [InlineData("character 4 of the name is U+00C9", "query", "CAF\u00C9")]
    public async Task BadTargetsAndNames_SayWhatIsWrong(string expected, params string[] args)
    {
        var (exit, _, err) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Status_EscapedBytesAndDottedNamesThatAreNotAddresses_AreStillNames()
    {
        // \xNN still reaches any byte; a name with a dot and a letter is a name, not a malformed address.
        var (exit, _, err) = await RunAsync("status", "A\\x01B", "--port", "9", "--interface", "127.0.0.1");
        Assert.True(exit == 1, err);
        Assert.Contains("A\\x01B<00>: not found", err, StringComparison.Ordinal);

        (exit, _, err) = await RunAsync("status", "V1.2", "--port", "9", "--interface", "127.0.0.1");
        Assert.True(exit == 1, err);
        Assert.Contains("V1.2<00>: not found", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortInUse_IsANetworkErrorWithExitCode3()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Any, 0));
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var (exit, _, err) = await RunAsync("node", "--name", "X", "--port", port.ToString(), "--interface", "127.0.0.1");

        Assert.Equal(3, exit);
        Assert.Contains("in use", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public async Task DatagramPortInUse_IsANetworkErrorWithExitCode3()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Any, 0));
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        int namePort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Any, 0));
            namePort = ((IPEndPoint)probe.LocalEndPoint!).Port; // free now; the name service binds it first
        }

        var (exit, _, err) = await RunAsync("listen", "X", "--port", namePort.ToString(), "--datagram-port", port.ToString(), "--interface", "127.0.0.1");

        Assert.Equal(3, exit);
        Assert.Contains("in use", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Status_UnreachableHost_ExitCode1()
    {
        var (exit, _, err) = await RunAsync("status", "127.0.0.1", "--port", "9", "--interface", "127.0.0.1");

        Assert.Equal(1, exit);
        Assert.Contains("no node status answer", err, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(ResetAfter.Accept)]
    [InlineData(ResetAfter.Request)]
    public async Task Call_ServerAcceptsThenResets_OneLineResetErrorExitCode3(ResetAfter when)
    {
        // Issue 17 item 5: was "unexpected error (SocketException): Transport endpoint is not connected".
        using var server = new ResettingServer(when);

        var (exit, _, err) = await RunAsync("call", "SERVER", "--address", server.EndPoint.ToString(), "--interface", "127.0.0.1");

        Assert.True(exit == 3, err);
        Assert.Equal($"nbt: SERVER<00>: the peer reset or closed the connection before a session response (at {server.EndPoint})", err.Trim().Split('\n')[^1]);
        Assert.DoesNotContain("unexpected error", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NameServiceRcode.Ok, 0, "Registered")]
    [InlineData(NameServiceRcode.ActiveError, 1, "Conflict")]
    public async Task Register_WithScriptedWinsOverLoopback_ReportsOutcome(NameServiceRcode rcode, int expectedExit, string outcome)
    {
        var wins = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        using var responder = new ScriptedResponder(wins, (request, _) => rcode == NameServiceRcode.Ok
            ? NameServicePacket.CreatePositiveRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, 21600, NbFlags.None, IPAddress.Loopback)
            : NameServicePacket.CreateNegativeRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, rcode, NbFlags.None, IPAddress.Parse("127.0.0.9")));

        var (exit, stdout, err) = await RunAsync("register", "TESTNAME#20", "--node-type", "P", "--wins", $"127.0.0.1:{wins.LocalEndPoint.Port}",
            "--interface", "127.0.0.1", "--json");

        Assert.True(expectedExit == exit, err);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(outcome, json.GetProperty("outcome").GetString());
        Assert.Equal("TESTNAME<20>", json.GetProperty("name").GetProperty("display").GetString());
        Assert.Equal("20", json.GetProperty("name").GetProperty("suffix").GetString());
        var request = Assert.Single(responder.Requests, r => r.Kind == NameServicePacketKind.NameRegistrationRequest);
        Assert.Equal(NameServicePacketKind.NameRegistrationRequest, request.Kind);
        Assert.DoesNotContain(responder.Requests, r => r.Kind == NameServicePacketKind.NameReleaseRequest);
    }

    [Theory]
    [InlineData(NameServiceRcode.Ok, 0, "Released")]
    [InlineData(NameServiceRcode.ActiveError, 1, "Refused")]
    public async Task Release_WithScriptedWinsOverLoopback_ReportsTheServersAnswer(NameServiceRcode rcode, int expectedExit, string outcome)
    {
        var wins = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        using var responder = new ScriptedResponder(wins, (request, _) => request.Kind == NameServicePacketKind.NameReleaseRequest
            ? NameServicePacket.CreateReleaseResponse(request.Header.TransactionId, request.Questions[0].Name, NbFlags.None, IPAddress.Loopback, rcode)
            : null);

        var (exit, stdout, err) = await RunAsync("release", "TESTNAME#20", "--node-type", "P", "--wins", $"127.0.0.1:{wins.LocalEndPoint.Port}",
            "--interface", "127.0.0.1", "--json");

        Assert.True(expectedExit == exit, err);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(outcome, json.GetProperty("outcome").GetString());
        var request = Assert.Single(responder.Requests);
        Assert.Equal(NameServicePacketKind.NameReleaseRequest, request.Kind);
        Assert.Equal(NetBiosName.Create("TESTNAME", 0x20), request.Questions[0].Name);
    }

    [Fact]
    public async Task ConfigFile_SuppliesOptions_CommandLineWins_BadFileIsUsageError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nbt-config-{Guid.NewGuid():N}.json");
        try
        {
            // Top-level options for every command, a section for one command; the port in the file is invalid, so
            // the status command only works because --port on the command line wins.
            await File.WriteAllTextAsync(path, """
                { "interface": "127.0.0.1", "port": 99999, "status": { "json": false }, "node": { "name": ["IGNORED"] } }
                """, TestContext.Current.CancellationToken);
            var (exit, _, err) = await RunAsync("status", "127.0.0.1", "--port", "9", "--config", path);
            Assert.Equal(1, exit);
            Assert.Contains("no node status answer", err, StringComparison.Ordinal);

            var (badPort, _, badPortErr) = await RunAsync("status", "127.0.0.1", "--config", path);
            Assert.Equal(2, badPort);
            Assert.Contains("--port 99999", badPortErr, StringComparison.Ordinal);

            await File.WriteAllTextAsync(path, "{ not json", TestContext.Current.CancellationToken);
            var (badFile, _, badFileErr) = await RunAsync("status", "127.0.0.1", "--config", path);
            Assert.Equal(2, badFile);
            Assert.StartsWith($"nbt: --config {path}:", badFileErr, StringComparison.Ordinal);
            Assert.Single(badFileErr.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
