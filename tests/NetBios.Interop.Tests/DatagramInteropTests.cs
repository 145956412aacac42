using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using NetBios.DatagramService;
using NetBios.Interop.Tests.Harness;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Transport;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 5 interop: our datagram service against Samba nmbd 4.17, and the seed's chat (<c>nbt chat</c>) between
/// three stations in three network namespaces on one broadcast segment.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(NameServiceInteropTests))]
public sealed class DatagramInteropTests(ITestOutputHelper output)
    : SegmentTestBase(3, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmbd)
{
    /// <summary>
    /// A browser GetBackupListRequest (opcode 9) in an SMB mailslot write to <c>\MAILSLOT\BROWSE</c>, sent as a
    /// DIRECT_GROUP datagram to PEERTEST&lt;1D&gt; by our station: nmbd, once it is the local master browser, answers with
    /// a DIRECT_UNIQUE GetBackupListResponse (opcode 10) to our name, which our datagram service delivers.
    /// </summary>
    [Fact]
    public async Task NmbdAnswersOurGetBackupListRequest_AndWeReceiveTheResponse()
    {
        var ct = TestContext.Current.CancellationToken;
        var h1 = Segment[1];
        var h2 = Segment[2];
        await using var nmbd = await NmbdProcess.StartAsync(h1.Namespace, new NmbdOptions
        {
            NetbiosName = "PEERB1",
            Workgroup = "PEERTEST",
            Interfaces = h1.InterfaceSpec,
            WinsSupport = false,
            LogLevel = 3,
            StartTimeout = TimeSpan.FromSeconds(30),
            ExtraLines = ["local master = yes", "preferred master = yes", "os level = 65"],
        });
        // Bound inside the namespace (binding completes synchronously: no session listener).
        await using var station = h2.Namespace.Enter(() => NetBiosStation.BindAsync(NetworkAdapter.Create(h2.Address, h2.PrefixLength),
            new StationOptions { Role = StationRole.Node, AcceptSessions = false }).AsTask().GetAwaiter().GetResult());
        var client = NetBiosName.Create("NBTCLIENT", 0x00);
        Assert.True((await station.Names.RegisterAsync(client, cancellationToken: ct)).Succeeded);
        using var responses = station.Datagrams.Subscribe(DatagramReceiveFilter.ForName(client));
        var masterBrowser = NetBiosName.Create("PEERTEST", 0x1D);

        // nmbd only answers once it has become the local master browser (an election after start): ask every 2 s.
        ReceivedDatagram? response = null;
        int requests = 0;
        var elapsed = Stopwatch.StartNew();
        while (response is null && elapsed.Elapsed < TimeSpan.FromSeconds(60))
        {
            uint token = (uint)(0x4E42_0000 + requests);
            var sent = await station.Datagrams.SendAsync(client, masterBrowser, BrowserMailslot.GetBackupListRequest(token),
                DatagramDestinationKind.Group, ct);
            Assert.Equal(DatagramSendOutcome.Sent, sent.Outcome);
            requests++;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                response = await responses.ReceiveAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Not master browser yet: ask again.
            }
        }

        output.WriteLine($"{requests} request(s), answered after {elapsed.Elapsed.TotalSeconds:F1} s");
        Assert.NotNull(response);
        Assert.Equal(Wire.Datagram.DatagramMessageType.DirectUnique, response.Type);
        Assert.Equal(NetBiosName.Create("PEERB1", 0x00), response.SourceName);
        Assert.Equal(h1.Address, response.Source.Address);
        Assert.Equal(10, BrowserMailslot.Opcode(response.Data.Span)); // GetBackupListResponse
        Assert.Contains("PEERB1", Encoding.ASCII.GetString(response.Data.Span), StringComparison.Ordinal);
        Assert.True(await nmbd.WaitForLogAsync("process_get_backup_list_request", TimeSpan.FromSeconds(30), ct), "nmbd did not log our request");
    }

    /// <summary>
    /// The seed's chat: three <c>nbt chat</c> processes in three namespaces, each with its own unique name and the
    /// common group name; every line typed reaches the two others (group datagrams, subnet broadcast) and not its
    /// sender.
    /// </summary>
    [Fact]
    public async Task ThreeStationChat_EveryLineReachesTheOtherTwo()
    {
        string[] nicks = ["ALICE", "BOB", "CAROL"];
        var chats = nicks.Select((nick, i) => Nbt.Start(Segment[i + 1].Namespace, "chat", nick, "--group", "CHATTERS",
            "--interface", Segment[i + 1].InterfaceSpec)).ToList();
        try
        {
            foreach (var chat in chats)
            {
                Assert.True(await chat.WaitForOutputAsync("joined CHATTERS", TimeSpan.FromSeconds(30)), chat.Output);
            }

            for (int i = 0; i < 3; i++)
            {
                string line = $"hello from {nicks[i].ToLowerInvariant()}, line {i + 1}";
                await chats[i].WriteLineAsync(line);
                for (int j = 0; j < 3; j++)
                {
                    if (j != i)
                    {
                        Assert.True(await chats[j].WaitForOutputAsync($"<{nicks[i]}> {line}", TimeSpan.FromSeconds(15)), chats[j].Output);
                    }
                }
            }

            foreach (var chat in chats)
            {
                chat.CloseInput();
            }

            foreach (var (chat, i) in chats.Select((c, i) => (c, i)))
            {
                Assert.True(await chat.WaitForOutputAsync("leaving CHATTERS", TimeSpan.FromSeconds(15)), chat.Output);
                output.WriteLine($"--- {nicks[i]} on {Segment[i + 1].Address}");
                output.WriteLine(chat.Output);
                Assert.DoesNotContain($"<{nicks[i]}>", chat.Output, StringComparison.Ordinal); // never its own lines
            }
        }
        finally
        {
            foreach (var chat in chats)
            {
                await chat.DisposeAsync();
            }
        }
    }

    /// <summary><c>nbt send</c> in one namespace, <c>nbt listen</c> in another: a unique datagram and a broadcast arrive,
    /// an unknown name is exit 1.</summary>
    [Fact]
    public async Task NbtSendAndListen_AcrossNamespaces()
    {
        var h2 = Segment[2];
        var h3 = Segment[3];
        await using var listen = Nbt.Start(h3.Namespace, "listen", "BOB", "--broadcast", "--count", "2", "--json", "--interface", h3.InterfaceSpec);
        Assert.True(await listen.WaitForOutputAsync("Registered BOB<00>", TimeSpan.FromSeconds(30)), listen.Output);

        var unique = await Nbt.RunAsync(h2.Namespace, $"send BOB hello-bob --from ALICE --interface {h2.InterfaceSpec}");
        var broadcast = await Nbt.RunAsync(h2.Namespace, $"send --broadcast to-everyone --from ALICE --interface {h2.InterfaceSpec}");
        var missing = await Nbt.RunAsync(h2.Namespace, $"send NOBODY x --from ALICE --interface {h2.InterfaceSpec}");
        Assert.True(await listen.WaitForOutputAsync("to-everyone", TimeSpan.FromSeconds(15)), listen.Output);
        output.WriteLine(unique.StdOut + broadcast.StdOut + missing.StdErr);
        output.WriteLine(listen.Output);

        Assert.True(unique.ExitCode == 0, unique.ToString());
        Assert.Contains($"sent DIRECT_UNIQUE ALICE<00> -> BOB<00>, 9 bytes to {h3.Address}:138", unique.StdOut, StringComparison.Ordinal);
        Assert.True(broadcast.ExitCode == 0, broadcast.ToString());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("NOBODY<00> not found", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"DIRECT_UNIQUE\",\"source\":{\"display\":\"ALICE<00>\"", listen.Output, StringComparison.Ordinal);
        Assert.Contains("\"text\":\"hello-bob\"", listen.Output, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"BROADCAST\"", listen.Output, StringComparison.Ordinal);
    }

    /// <summary><c>nbt serve</c> in one namespace, <c>nbt call</c> in another: lines cross both ways as session
    /// messages; a caller the listener does not accept gets 0x81 in words.</summary>
    [Fact]
    public async Task NbtCallAndServe_AcrossNamespaces()
    {
        var h2 = Segment[2];
        var h3 = Segment[3];
        await using var serve = Nbt.Start(h3.Namespace, "serve", "ECHOSRV", "--from", "CALLER", "--interface", h3.InterfaceSpec);
        Assert.True(await serve.WaitForOutputAsync("listening on ECHOSRV<00>", TimeSpan.FromSeconds(30)), serve.Output);

        var refused = await Nbt.RunAsync(h2.Namespace, $"call ECHOSRV --from STRANGER --interface {h2.InterfaceSpec}");
        await using var call = Nbt.Start(h2.Namespace, "call", "ECHOSRV", "--from", "CALLER", "--interface", h2.InterfaceSpec);
        Assert.True(await call.WaitForOutputAsync("session CALLER<00> -> ECHOSRV<00>", TimeSpan.FromSeconds(30)), call.Output);
        await call.WriteLineAsync("hello from the caller");
        Assert.True(await serve.WaitForOutputAsync("hello from the caller", TimeSpan.FromSeconds(15)), serve.Output);
        await serve.WriteLineAsync("hello back");
        Assert.True(await call.WaitForOutputAsync("hello back", TimeSpan.FromSeconds(15)), call.Output + "\n--- serve\n" + serve.Output);
        call.CloseInput();
        Assert.True(await serve.WaitForOutputAsync("session closed", TimeSpan.FromSeconds(15)), serve.Output);
        output.WriteLine(refused.StdErr);
        output.WriteLine("--- serve\n" + serve.Output + "\n--- call\n" + call.Output);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("negative session response 0x81: not listening for calling name", refused.StdErr, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>nbt serve --binary</c> and <c>nbt call --binary</c> as real processes with files on stdin and stdout: 300 000
    /// random bytes go up and every byte value comes down unchanged (so nothing else, e.g. a log line, reaches stdout).
    /// </summary>
    [Fact]
    public async Task NbtCallAndServe_Binary_CarryFilesUnchanged()
    {
        var h2 = Segment[2];
        var h3 = Segment[3];
        string dir = Directory.CreateTempSubdirectory("nbt-binary-").FullName;
        try
        {
            byte[] up = new byte[300_000];
            new Random(139).NextBytes(up);
            byte[] down = [.. Enumerable.Range(0, 256).Select(i => (byte)i), .. "\r\n"u8];
            await File.WriteAllBytesAsync(Path.Combine(dir, "up"), up, TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(dir, "down"), down, TestContext.Current.CancellationToken);
            string nbt = $"dotnet {Nbt.DllPath}";

            // Each side's stdin is its file, then the test's open pipe: input ends only when the test closes it.
            await using var serve = h3.Namespace.StartProcess("bash", ["-c", $"cat {dir}/down - | {nbt} serve BINSRV --interface {h3.InterfaceSpec} --binary > {dir}/served"]);
            Assert.True(await serve.WaitForOutputAsync("listening on BINSRV<00>", TimeSpan.FromSeconds(30)), serve.Output);
            await using var call = h2.Namespace.StartProcess("bash", ["-c", $"cat {dir}/up - | {nbt} call BINSRV --interface {h2.InterfaceSpec} --binary > {dir}/called"]);
            Assert.True(await call.WaitForOutputAsync("session", TimeSpan.FromSeconds(30)), call.Output);
            Assert.True(await WaitForSizeAsync(Path.Combine(dir, "served"), up.Length) && await WaitForSizeAsync(Path.Combine(dir, "called"), down.Length),
                "--- serve\n" + serve.Output + "\n--- call\n" + call.Output);
            call.CloseInput(); // end of input: the caller hangs up, and the server's command ends with the session
            Assert.True(await serve.WaitForOutputAsync("session closed", TimeSpan.FromSeconds(15)), serve.Output);
            output.WriteLine("--- serve\n" + serve.Output + "\n--- call\n" + call.Output);

            Assert.Equal(up, await File.ReadAllBytesAsync(Path.Combine(dir, "served"), TestContext.Current.CancellationToken));
            Assert.Equal(down, await File.ReadAllBytesAsync(Path.Combine(dir, "called"), TestContext.Current.CancellationToken));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        static async Task<bool> WaitForSizeAsync(string path, long size)
        {
            for (int i = 0; i < 300 && (!File.Exists(path) || new FileInfo(path).Length < size); i++)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            return File.Exists(path) && new FileInfo(path).Length >= size;
        }
    }

    /// <summary>SMB Trans mailslot writes carrying browser protocol frames ([MS-BRWS]), as nbds_tool.py builds them.</summary>
    private static class BrowserMailslot
    {
        private const string Mailslot = "\\MAILSLOT\\BROWSE";

        public static byte[] GetBackupListRequest(uint token)
        {
            byte[] browser = new byte[6];
            browser[0] = 9;  // GetBackupListRequest
            browser[1] = 10; // RequestedCount
            BinaryPrimitives.WriteUInt32LittleEndian(browser.AsSpan(2), token);
            return Trans(browser);
        }

        /// <summary>The browser opcode in a mailslot write: the first byte of the Trans data (at DataOffset).</summary>
        public static int Opcode(ReadOnlySpan<byte> smb)
        {
            const int dataOffsetField = 32 + 1 + 24;
            if (smb.Length < dataOffsetField + 2 || smb[0] != 0xFF || !smb[1..4].SequenceEqual("SMB"u8))
            {
                return -1;
            }

            int offset = BinaryPrimitives.ReadUInt16LittleEndian(smb[dataOffsetField..]);
            return offset < smb.Length ? smb[offset] : -1;
        }

        private static byte[] Trans(byte[] data)
        {
            byte[] name = Encoding.ASCII.GetBytes(Mailslot + "\0");
            int dataOffset = 32 + 1 + (17 * 2) + 2 + name.Length;
            var smb = new List<byte>([0xFF, (byte)'S', (byte)'M', (byte)'B', 0x25]);
            smb.AddRange(new byte[27]);
            smb.Add(17); // word count: 14 parameter words + 3 setup words
            void Word(int value) => smb.AddRange([(byte)value, (byte)(value >> 8)]);
            Word(0);                 // total parameter count
            Word(data.Length);       // total data count
            Word(0);                 // max parameter count
            Word(0);                 // max data count
            smb.AddRange([0, 0]);    // max setup count, reserved
            Word(0);                 // flags
            Word(0);                 // timeout (2 words)
            Word(0);
            Word(0);                 // reserved
            Word(0);                 // parameter count
            Word(dataOffset);        // parameter offset
            Word(data.Length);       // data count
            Word(dataOffset);        // data offset
            smb.AddRange([3, 0]);    // setup count, reserved
            Word(1);                 // mailslot write
            Word(1);                 // priority
            Word(2);                 // class 2 (unreliable)
            Word(name.Length + data.Length);
            smb.AddRange(name);
            smb.AddRange(data);
            return [.. smb];
        }
    }
}
