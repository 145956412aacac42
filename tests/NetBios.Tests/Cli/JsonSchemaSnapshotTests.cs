using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetBios.NameService;
using NetBios.Tests.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19 item 3: one JSON schema per command, documented in docs/CLI.md and pinned here: each command's --json
/// output (against real loopback nodes or fixed input) is compared with a checked-in file in Cli/Snapshots, with
/// volatile fields (ephemeral ports) normalised. <c>UPDATE_CLI_SNAPSHOTS=1</c> rewrites the files.
/// </summary>
public sealed partial class JsonSchemaSnapshotTests
{
    private const string FredQuery = "1234011000010000000000002045474643454645454341434143414341434143414341434143414341434143410000200001";

    // A positive name query response: FRED<00> at 10.0.0.5, B-node, ttl 300000 (RFC 1002 §4.2.13).
    private const string FredAnswer = "123485000000000100000000" + "2045474643454645454341434143414341434143414341434143414341434143410000200001" + "000493E00006" + "00000A000005";

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, input, stdout, stderr, null, null, new Dictionary<string, string>());
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task QueryAndStatus_MatchTheirSchemas()
    {
        var ct = TestContext.Current.CancellationToken;
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        await using var node = new NameServiceNode(transport, IPAddress.Loopback, IPAddress.Parse("127.255.255.255"),
            new NameServiceOptions { RemotePort = 9, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20), UnitId = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56] });
        node.Start();
        foreach (var (name, group) in new[] { ("SNAPHOST", false), ("SNAPHOST#20", false), ("SNAPGROUP", true), (@"\x01\x02__MSBROWSE__\x02#01", true) })
        {
            Assert.True((await node.RegisterAsync(NetBiosName.Parse(name, 0x00), group, cancellationToken: ct)).Succeeded);
        }

        string port = node.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var query = await RunAsync(string.Empty, "query", "SNAPHOST#20", "NOBODY", "--unicast", "127.0.0.1", "--port", port, "--interface", "127.0.0.1", "--json");
        var status = await RunAsync(string.Empty, "status", "127.0.0.1", "--port", port, "--interface", "127.0.0.1", "--json");

        Assert.Equal(1, query.Exit); // NOBODY is not found
        MatchSnapshot("query", query.Out);
        Assert.True(status.Exit == 0, status.Err);
        MatchSnapshot("status", status.Out);
    }

    [Fact]
    public async Task RegisterAndRelease_MatchTheirSchemas()
    {
        var wins = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        using var responder = new ScriptedResponder(wins, (request, _) => request.Kind == NameServicePacketKind.NameReleaseRequest
            ? NameServicePacket.CreateReleaseResponse(request.Header.TransactionId, request.Questions[0].Name, NbFlags.None, IPAddress.Loopback, NameServiceRcode.Ok)
            : NameServicePacket.CreatePositiveRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, 21600, NbFlags.None, IPAddress.Loopback));
        string server = $"127.0.0.1:{wins.LocalEndPoint.Port}";

        var register = await RunAsync(string.Empty, "register", "TESTNAME#20", "--node-type", "P", "--wins", server, "--interface", "127.0.0.1", "--json");
        var release = await RunAsync(string.Empty, "release", "TESTNAME#20", "--node-type", "P", "--wins", server, "--interface", "127.0.0.1", "--json");

        Assert.True(register.Exit == 0, register.Err);
        MatchSnapshot("register", register.Out);
        Assert.True(release.Exit == 0, release.Err);
        MatchSnapshot("release", release.Out);
    }

    [Fact]
    public async Task Decode_MatchesItsSchema()
    {
        var decode = await RunAsync(FredQuery + "\n\n" + FredAnswer + "\n\n83 00 00 01 82\n\n81 00 00 04 01 02 03 04\n", "decode", "--json");

        Assert.True(decode.Exit == 0, decode.Err);
        MatchSnapshot("decode", decode.Out);
    }

    /// <summary>Normalises (ports), pretty-prints and compares with Cli/Snapshots/NAME.json; JSON Lines become an array.</summary>
    private static void MatchSnapshot(string name, string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonNode? node;
        try
        {
            node = lines.Length > 1 && lines.All(l => l.StartsWith('{'))
                ? new JsonArray([.. lines.Select(l => JsonNode.Parse(l))])
                : JsonNode.Parse(output);
        }
        catch (JsonException ex)
        {
            Assert.Fail($"{name}: not JSON ({ex.Message}):\n{output}");
            return;
        }

        string actual = Port().Replace(node!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), "$1:PORT").ReplaceLineEndings("\n") + "\n";
        string path = Path.Combine(SnapshotDirectory(), name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_CLI_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"no snapshot {path}; run with UPDATE_CLI_SNAPSHOTS=1 to write it:\n{actual}");

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    private static string SnapshotDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NetBios.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "tests", "NetBios.Tests", "Cli", "Snapshots");
    }

    [GeneratedRegex(@"(127\.0\.0\.1):\d+")]
    private static partial Regex Port();
}
