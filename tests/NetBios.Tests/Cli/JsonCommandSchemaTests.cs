using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NetBios.NameServer;
using NetBios.NameServer.Sqlite;
using NetBios.NameService;
using NetBios.Tests.NameService;
using NetBios.Tests.TestCommon;
using NetBios.Transport;
using NetBios.Wire.Datagram;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19: "--json on every command, with one documented schema per command (suffix as hex, fields not strings)".
/// Each command of docs/CLI.md that had no schema test runs in-process on loopback (port 0 or free ports, a scripted
/// WINS server so that names resolve to 127.0.0.1) with --json; its output is parsed with JsonDocument and every
/// documented field is checked for presence and JSON type, and no undocumented field may appear.
/// </summary>
public sealed class JsonCommandSchemaTests : IDisposable
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nbt-json-schema-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    // ---- send, listen, chat ----------------------------------------------------------------------------------------

    [Fact(Timeout = 60_000)]
    public async Task Listen_OneLinePerDatagram_MatchesItsSchema()
    {
        using var wins = Wins();
        int datagramPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        var stdout = new SignallingWriter("{");
        var listen = Run(["listen", "BOB", "--count", "1", "--timeout", "30", "--datagram-port", Port(datagramPort), .. Network(wins), "--json"], TextReader.Null, stdout);

        await wins.WaitForRequestsAsync(r => r.Kind == NameServicePacketKind.NameRegistrationRequest && r.Questions[0].Name.ToString() == "BOB<00>", 1);
        await SendDatagramUntilAsync(listen, UserDatagram.Create(DatagramMessageType.DirectUnique, 7, new IPEndPoint(Loopback, 138),
            NetBiosName.Create("ALICE", 0), NetBiosName.Create("BOB", 0), "hello-bob"u8.ToArray()), datagramPort);
        var (exit, err) = await listen;

        Assert.True(exit == 0, err);
        var line = Assert.Single(Lines(stdout.ToString()));
        AssertFields(line, ("type", Str), ("source", Name), ("sourceAddress", Str), ("receivedFrom", Str), ("destination", Name),
            ("length", Num), ("text", StrOrNull), ("hex", Str));
        Assert.Equal("DIRECT_UNIQUE", line.GetProperty("type").GetString());
        Assert.Equal(9, line.GetProperty("length").GetInt32());
        Assert.Equal("hello-bob", line.GetProperty("text").GetString());
        Assert.Equal("68656c6c6f2d626f62", line.GetProperty("hex").GetString());
        Assert.Equal("127.0.0.1:138", line.GetProperty("sourceAddress").GetString());
        Assert.Equal("ALICE", line.GetProperty("source").GetProperty("name").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Chat_OneLinePerLineReceived_MatchesItsSchema()
    {
        using var wins = Wins();
        int datagramPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        var stdout = new SignallingWriter("{");
        var chat = Run(["chat", "NICK", "--group", "ROOM", "--datagram-port", Port(datagramPort), .. Network(wins), "--json"], new GatedReader(null, stdout.Seen), stdout);

        await wins.WaitForRequestsAsync(r => r.Kind == NameServicePacketKind.NameRegistrationRequest && r.Questions[0].Name.ToString() == "ROOM<00>", 1);
        // Sent every 100 ms until chat printed it (chat binds, then registers, then reads); its input ends once it printed
        // a line, but a copy sent before that may still be received (under load it was, twice): each copy is one line.
        await SendDatagramUntilAsync(Task.WhenAny(chat, stdout.Seen), UserDatagram.Create(DatagramMessageType.DirectGroup, 8, new IPEndPoint(Loopback, 138),
            NetBiosName.Create("FRIEND", 0), NetBiosName.Create("ROOM", 0), "hi all"u8.ToArray()), datagramPort);
        var (exit, err) = await chat;

        Assert.True(exit == 0, err);
        string[] printed = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(printed);
        Assert.All(printed, copy => Assert.Equal(printed[0], copy));
        var line = Lines(stdout.ToString())[0];
        AssertFields(line, ("from", Name), ("address", Str), ("text", Str));
        Assert.Equal("FRIEND", line.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("127.0.0.1:138", line.GetProperty("address").GetString());
        Assert.Equal("hi all", line.GetProperty("text").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Send_OneObject_MatchesItsSchema()
    {
        using var wins = Wins();
        using var receiver = new UdpClient(new IPEndPoint(Loopback, 0));
        int port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        var receiving = receiver.ReceiveAsync(Token);

        var (exit, stdout, err) = await RunAsync(["send", "BOB", "hello", "--from", "ALICE", "--datagram-port", Port(port), .. Network(wins), "--json"]);

        Assert.True(exit == 0, err);
        var sent = JsonDocument.Parse(stdout).RootElement;
        AssertFields(sent, ("outcome", Str), ("type", Str), ("source", Name), ("destination", Name), ("length", Num), ("fragments", Num), ("sentTo", StrArray));
        Assert.Equal("DIRECT_UNIQUE", sent.GetProperty("type").GetString());
        Assert.Equal(5, sent.GetProperty("length").GetInt32());
        Assert.Equal(1, sent.GetProperty("fragments").GetInt32());
        Assert.Equal($"127.0.0.1:{port}", Assert.Single(sent.GetProperty("sentTo").EnumerateArray()).GetString());
        Assert.True(DatagramPacket.TryDecode((await receiving).Buffer, out var packet, out _));
        Assert.Equal("hello"u8.ToArray(), Assert.IsType<UserDatagram>(packet).UserData.ToArray());
    }

    // ---- call, serve ------------------------------------------------------------------------------------------------

    [Fact(Timeout = 60_000)]
    public async Task Call_MessageLines_MatchTheirSchema()
    {
        using var listener = new TcpListener(Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = PeerAsync(listener);
        var stdout = new SignallingWriter("{");

        var (exit, err) = await Run(["call", "PEER", "--address", $"127.0.0.1:{port}", "--interface", "127.0.0.1", "--json"], new GatedReader("ping", stdout.Seen), stdout);

        Assert.True(exit == 0, err);
        Assert.Equal("ping", await server);
        AssertMessageLine(Assert.Single(Lines(stdout.ToString())), "world");
    }

    [Fact(Timeout = 60_000)]
    public async Task Serve_MessageLines_MatchTheirSchema_AndTraceTheSession()
    {
        using var wins = Wins();
        int sessionPort = FreePort(SocketType.Stream, ProtocolType.Tcp);
        var stdout = new SignallingWriter("{");
        var serve = Run(["serve", "SRV", "--session-port", Port(sessionPort), "--datagram-port", Port(FreePort(SocketType.Dgram, ProtocolType.Udp)), .. Network(wins), "--json", "-vv"],
            new GatedReader(null, stdout.Seen), stdout);

        await wins.WaitForRequestsAsync(r => r.Kind == NameServicePacketKind.NameRegistrationRequest && r.Questions[0].Name.ToString() == "SRV<00>", 1);
        // The name is registered before serve posts its LISTEN: a call in between is refused (negative response); call again.
        var request = new NetBios.Wire.Session.SessionRequest(NetBiosName.Create("SRV", 0), NetBiosName.Create("CALLER", 0)).ToArray();
        TcpClient client;
        NetworkStream stream;
        var answer = new byte[4];
        for (int attempt = 1; ; attempt++)
        {
            client = await ConnectUntilAsync(serve, sessionPort);
            stream = client.GetStream();
            await stream.WriteAsync(request, Token);
            await stream.ReadExactlyAsync(answer, Token);
            if (answer[0] == 0x82 || attempt == 100)
            {
                break;
            }

            client.Dispose();
            await Task.Delay(100, Token);
        }

        using var session = client;
        Assert.Equal(0x82, answer[0]);
        await stream.WriteAsync((byte[])[0x00, 0, 0, 5, .. "hello"u8], Token);
        while (await stream.ReadAsync(new byte[64], Token) > 0)
        {
            // until serve hangs up (its input ends once the message was printed)
        }

        var (exit, err) = await serve;
        Assert.True(exit == 0, err);
        AssertMessageLine(Assert.Single(Lines(stdout.ToString())), "hello");

        // -vv also traces the session service frames of an accepted call (stderr; stdout stays JSON).
        Assert.Matches($@"127\.0\.0\.1:\d+ -> 127\.0\.0\.1:{sessionPort}  NBSS  session request  called=SRV<00> calling=CALLER<00>", err);
        Assert.Matches($@"127\.0\.0\.1:{sessionPort} -> 127\.0\.0\.1:\d+  NBSS  positive session response", err);
        Assert.Matches($@"127\.0\.0\.1:\d+ -> 127\.0\.0\.1:{sessionPort}  NBSS  session message  5 bytes", err);
    }

    // ---- node ---------------------------------------------------------------------------------------------------------

    [Fact(Timeout = 60_000)]
    public async Task Node_NameDatagramSessionMessageAndSessionEndEvents_MatchTheirSchemas()
    {
        using var wins = Wins();
        int datagramPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        int sessionPort = FreePort(SocketType.Stream, ProtocolType.Tcp);
        var stdout = new SignallingWriter("\"session-end\"");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        using var errors = new StringWriter();
        var node = Nbt.Cli.Program.RunAsync(["node", "--name", "JNODE", "--datagram-port", Port(datagramPort), "--session-port", Port(sessionPort), .. Network(wins), "--json"],
            TextReader.Null, stdout, TextWriter.Synchronized(errors), null, null, new Dictionary<string, string>(), stop.Token);

        // A datagram to JNODE<00>, sent again every 100 ms (the node binds, then registers) until the node printed it.
        using (var sender = new UdpClient(new IPEndPoint(Loopback, 0)))
        {
            byte[] datagram = UserDatagram.Create(DatagramMessageType.DirectUnique, 9, new IPEndPoint(Loopback, 138),
                NetBiosName.Create("ALICE", 0), NetBiosName.Create("JNODE", 0), "hi-node"u8.ToArray()).ToArray();
            for (int i = 0; i < 100 && !node.IsCompleted && !stdout.ToString().Contains("\"datagram\"", StringComparison.Ordinal); i++)
            {
                await sender.SendAsync(datagram, new IPEndPoint(Loopback, datagramPort), Token);
                await Task.WhenAny(node, Task.Delay(100, Token));
            }
        }

        // A session from CALLER to JNODE<20> with one message, then the caller hangs up.
        var request = new NetBios.Wire.Session.SessionRequest(NetBiosName.Create("JNODE", 0x20), NetBiosName.Create("CALLER", 0)).ToArray();
        var answer = new byte[4];
        using (var client = await ConnectUntilAsync(node, sessionPort))
        {
            var stream = client.GetStream();
            await stream.WriteAsync(request, Token);
            await stream.ReadExactlyAsync(answer, Token);
            Assert.Equal(0x82, answer[0]);
            await stream.WriteAsync((byte[])[0x00, 0, 0, 5, .. "hello"u8], Token);
        }

        await Task.WhenAny(stdout.Seen, node);
        await stop.CancelAsync();
        int exit = await node;
        Assert.True(exit == 0, errors.ToString());

        // The datagram is resent until the node printed it, so a loaded machine may deliver a copy or two more, and not
        // only right after the first (under load one was printed between the session and its message): every copy is
        // the same line, and the first is where it belongs.
        var all = Lines(stdout.ToString());
        var copies = all.Where(IsDatagram).Select(l => l.GetRawText()).ToList();
        Assert.All(copies, copy => Assert.Equal(copies[0], copy));
        int first = all.FindIndex(IsDatagram);
        var lines = all.Where((l, i) => !IsDatagram(l) || i == first).ToList();
        var events = lines.Select(l => l.GetProperty("event").GetString()).ToList();
        Assert.Equal(["name", "name", "name", "datagram", "session", "message", "session-end"], events);
        foreach (var name in lines.Take(3))
        {
            AssertFields(name, ("event", Str), ("name", Name), ("group", Bool), ("outcome", Str), ("owner", StrOrNull), ("rcode", StrOrNull),
                ("respondedBy", StrOrNull), ("ttl", NumOrNull));
            Assert.Equal("Registered", name.GetProperty("outcome").GetString());
            Assert.Equal(21600, name.GetProperty("ttl").GetInt32());
        }

        AssertFields(lines[3], ("event", Str), ("datagram", d => AssertFields(d, ("type", Str), ("source", Name), ("sourceAddress", Str),
            ("receivedFrom", Str), ("destination", Name), ("length", Num), ("text", StrOrNull), ("hex", Str))));
        Assert.Equal("hi-node", lines[3].GetProperty("datagram").GetProperty("text").GetString());
        AssertFields(lines[4], ("event", Str), ("caller", Name), ("called", Name), ("from", Str));
        Assert.Equal("20", lines[4].GetProperty("called").GetProperty("suffix").GetString());
        AssertMessageLine(lines[5], "hello");
        AssertFields(lines[6], ("event", Str), ("caller", Name), ("called", Name), ("end", Str));
        Assert.Equal("closed", lines[6].GetProperty("end").GetString());
    }

    // ---- wins list, show, delete -----------------------------------------------------------------------------------

    [Fact]
    public async Task Wins_ListShowDelete_MatchTheirSchemas()
    {
        string db = Path.Combine(_dir.FullName, "wins.db");
        await using (var store = await SqliteWinsStore.OpenAsync(db, cancellationToken: Token))
        {
            var expiry = new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);
            await store.WriteAsync(new WinsRecord
            {
                Name = NetBiosName.Create("ALPHA", 0x20),
                Type = WinsRecordType.Unique,
                State = WinsRecordState.Active,
                NodeType = NodeType.H,
                Addresses = [new WinsAddress(IPAddress.Parse("192.168.1.10"), IPAddress.Parse("10.0.0.1"), expiry)],
                Expires = expiry,
                Owner = IPAddress.Parse("10.0.0.1"),
            }, 0, Token);
        }

        var list = await RunAsync(["wins", "list", "--database", db, "--json"]);
        var show = await RunAsync(["wins", "show", "ALPHA#20", "--database", db, "--json"]);
        var delete = await RunAsync(["wins", "delete", "ALPHA#20", "--database", db, "--json"]);

        Assert.True(list.Exit == 0, list.Err);
        var records = JsonDocument.Parse(list.Out).RootElement;
        Assert.Equal(JsonValueKind.Array, records.ValueKind);
        AssertRecord(Assert.Single(records.EnumerateArray()));
        Assert.True(show.Exit == 0, show.Err);
        AssertRecord(JsonDocument.Parse(show.Out).RootElement);
        Assert.True(delete.Exit == 0, delete.Err);
        var deleted = JsonDocument.Parse(delete.Out).RootElement;
        AssertFields(deleted, ("deleted", AssertRecord));
    }

    private static void AssertRecord(JsonElement record)
    {
        AssertFields(record, ("name", Name), ("type", Str), ("state", Str), ("nodeType", Str), ("isStatic", Bool), ("owner", Str), ("version", Num),
            ("expires", Str), ("addresses", a => AssertArrayOf(a, e => AssertFields(e, ("address", Str), ("owner", Str), ("expires", Str)))));
        Assert.Equal("20", record.GetProperty("name").GetProperty("suffix").GetString());
        Assert.Equal("Unique", record.GetProperty("type").GetString());
        Assert.Equal("H", record.GetProperty("nodeType").GetString());
        Assert.Equal("2026-12-31T23:00:00.0000000Z", record.GetProperty("expires").GetString());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static void AssertMessageLine(JsonElement line, string text)
    {
        AssertFields(line, ("event", Str), ("length", Num), ("text", Str), ("hex", Str));
        Assert.Equal("message", line.GetProperty("event").GetString());
        Assert.Equal(text.Length, line.GetProperty("length").GetInt32());
        Assert.Equal(text, line.GetProperty("text").GetString());
        Assert.Equal(Convert.ToHexString(Encoding.ASCII.GetBytes(text)).ToLowerInvariant(), line.GetProperty("hex").GetString());
    }

    /// <summary>A {NAME} object of docs/CLI.md: display, name, suffix (two upper-case hex digits), scope (null or string), bytes (32 hex digits).</summary>
    private static void Name(JsonElement name)
    {
        AssertFields(name, ("display", Str), ("name", Str), ("suffix", Str), ("scope", StrOrNull), ("bytes", Str));
        Assert.Matches("^[0-9A-F]{2}$", name.GetProperty("suffix").GetString());
        Assert.Matches("^[0-9A-F]{32}$", name.GetProperty("bytes").GetString());
        Assert.EndsWith($"<{name.GetProperty("suffix").GetString()}>", name.GetProperty("display").GetString(), StringComparison.Ordinal);
    }

    private static void Str(JsonElement e) => Assert.Equal(JsonValueKind.String, e.ValueKind);

    private static void StrOrNull(JsonElement e) => Assert.Contains(e.ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });

    private static void Num(JsonElement e) => Assert.Equal(JsonValueKind.Number, e.ValueKind);

    private static void NumOrNull(JsonElement e) => Assert.Contains(e.ValueKind, new[] { JsonValueKind.Number, JsonValueKind.Null });

    private static void Bool(JsonElement e) => Assert.Contains(e.ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });

    private static void StrArray(JsonElement e) => AssertArrayOf(e, Str);

    private static void AssertArrayOf(JsonElement e, Action<JsonElement> item)
    {
        Assert.Equal(JsonValueKind.Array, e.ValueKind);
        foreach (var element in e.EnumerateArray())
        {
            item(element);
        }
    }

    /// <summary>Exactly the documented fields, each of its documented JSON type.</summary>
    private static void AssertFields(JsonElement e, params (string Name, Action<JsonElement> Check)[] fields)
    {
        Assert.Equal(JsonValueKind.Object, e.ValueKind);
        Assert.Equal(fields.Select(f => f.Name).Order(StringComparer.Ordinal), e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (name, check) in fields)
        {
            check(e.GetProperty(name));
        }
    }

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    /// <summary>A WINS server on loopback that accepts every registration and release and resolves every name to 127.0.0.1.</summary>
    private static ScriptedResponder Wins()
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = Loopback, Port = 0 });
        return new ScriptedResponder(transport, (request, _) => request.Kind switch
        {
            NameServicePacketKind.NameRegistrationRequest =>
                NameServicePacket.CreatePositiveRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, 21600, NbFlags.None, Loopback),
            NameServicePacketKind.NameReleaseRequest =>
                NameServicePacket.CreateReleaseResponse(request.Header.TransactionId, request.Questions[0].Name, NbFlags.None, Loopback, NameServiceRcode.Ok),
            NameServicePacketKind.NameQueryRequest =>
                NameServicePacket.CreatePositiveQueryResponse(request.Header.TransactionId, request.Questions[0].Name, 300, [new NbAddressEntry(NbFlags.None, Loopback)]),
            _ => null,
        });
    }

    /// <summary>A P-node on 127.0.0.1 using <paramref name="wins"/>, with its own free name service port.</summary>
    private static string[] Network(ScriptedResponder wins) =>
        ["--node-type", "P", "--wins", $"127.0.0.1:{wins.Transport.LocalEndPoint.Port}", "--interface", "127.0.0.1", "--port", Port(FreePort(SocketType.Dgram, ProtocolType.Udp))];

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, type, protocol);
        probe.Bind(new IPEndPoint(Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        var (exit, err) = await Run(args, TextReader.Null, stdout);
        return (exit, stdout.ToString(), err);
    }

    private static async Task<(int Exit, string Err)> Run(string[] args, TextReader stdin, TextWriter stdout)
    {
        using var errors = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, stdin, stdout, TextWriter.Synchronized(errors), null, null, new Dictionary<string, string>());
        return (exit, errors.ToString());
    }

    /// <summary>Sends the datagram every 100 ms (the command binds, then registers, then reads) until the command ends; bounded by 100 tries.</summary>
    private static bool IsDatagram(JsonElement line) => line.GetProperty("event").GetString() == "datagram";

    private static async Task SendDatagramUntilAsync(Task command, UserDatagram datagram, int port)
    {
        using var sender = new UdpClient(new IPEndPoint(Loopback, 0));
        byte[] bytes = datagram.ToArray();
        for (int i = 0; i < 100 && !command.IsCompleted; i++)
        {
            await sender.SendAsync(bytes, new IPEndPoint(Loopback, port), Token);
            await Task.WhenAny(command, Task.Delay(100, Token));
        }
    }

    /// <summary>Connects to the session port once it listens; bounded by 100 tries, 100 ms apart.</summary>
    private static async Task<TcpClient> ConnectUntilAsync(Task command, int port)
    {
        for (int i = 0; ; i++)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(Loopback, port, Token);
                return client;
            }
            catch (SocketException) when (i < 100 && !command.IsCompleted)
            {
                client.Dispose();
                await Task.Delay(100, Token);
            }
        }
    }

    /// <summary>A raw session peer: positive response, the message "world", then the caller's first message, until it hangs up.</summary>
    private static async Task<string> PeerAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync(Token);
        var stream = client.GetStream();
        var header = new byte[4];
        await stream.ReadExactlyAsync(header, Token);
        await stream.ReadExactlyAsync(new byte[header[3]], Token);
        await stream.WriteAsync((byte[])[0x82, 0, 0, 0, 0x00, 0, 0, 5, .. "world"u8], Token);
        await stream.ReadExactlyAsync(header, Token);
        var message = new byte[header[3]];
        await stream.ReadExactlyAsync(message, Token);
        while (await stream.ReadAsync(new byte[64], Token) > 0)
        {
        }

        return Encoding.ASCII.GetString(message);
    }
}
