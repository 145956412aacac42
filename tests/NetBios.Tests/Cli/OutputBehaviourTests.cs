using System.Globalization;
using System.Net;
using NetBios.NameService;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19 items 3-5 against a real node over loopback UDP: results only by default, -v progress, -vv packet trace,
/// several names per query, nbtstat's layout, nmblookup's display of non-printable bytes, the master browser name,
/// release refused for a name this host does not hold.
/// </summary>
public sealed class OutputBehaviourTests : IAsyncLifetime
{
    private NameServiceNode? _node;

    private string Port => _node!.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);

    public async ValueTask InitializeAsync()
    {
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        _node = new NameServiceNode(transport, IPAddress.Loopback, IPAddress.Parse("127.255.255.255"),
            new NameServiceOptions { RemotePort = 9, BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20), UnitId = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56] });
        _node.Start();
        foreach (var (name, group) in new[] { ("BEHOST", false), ("BEHOST#20", false), ("BEGROUP#1D", false), (@"\x01\x02__MSBROWSE__\x02#01", true) })
        {
            Assert.True((await _node.RegisterAsync(NetBiosName.Parse(name, 0x00), group, cancellationToken: TestContext.Current.CancellationToken)).Succeeded);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string>());
        return (exit, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Default_PrintsResultsOnly_VerboseAddsProgressAndLogs_TraceAddsPackets()
    {
        var quiet = await RunAsync("query", "BEHOST", "--unicast", "127.0.0.1", "--port", Port, "--interface", "127.0.0.1");
        var verbose = await RunAsync("query", "BEHOST", "--unicast", "127.0.0.1", "--port", Port, "--interface", "127.0.0.1", "-v");
        var trace = await RunAsync("query", "BEHOST", "--unicast", "127.0.0.1", "--port", Port, "--interface", "127.0.0.1", "-vv");

        Assert.Equal(0, quiet.Exit);
        Assert.Equal(string.Empty, quiet.Err);
        Assert.Equal(quiet.Out, verbose.Out);
        Assert.Contains($"querying BEHOST<00> via node 127.0.0.1:{Port}", verbose.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("NBNS  ", verbose.Err, StringComparison.Ordinal);

        // One line per packet, in nbt decode's header format: the request and the answer.
        var packets = trace.Err.Split('\n').Where(l => l.Contains("  NBNS  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, packets.Count);
        Assert.Matches($@"^   1  127\.0\.0\.1:\d+ -> 127\.0\.0\.1:{Port}  NBNS  name query request  BEHOST<00>", packets[0]);
        Assert.Matches($@"^   2  127\.0\.0\.1:{Port} -> 127\.0\.0\.1:\d+  NBNS  positive query response  BEHOST<00>  127\.0\.0\.1 UNIQUE B-node", packets[1]);
    }

    [Fact]
    public async Task LogLevel_IsChecked()
    {
        var bad = await RunAsync("query", "BEHOST", "--log-level", "loud");

        Assert.Equal(2, bad.Exit);
        Assert.StartsWith("nbt: --log-level 'loud'", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_SeveralNames_OneTable_ExitOneWhenAnyIsMissing()
    {
        var (exit, stdout, stderr) = await RunAsync("query", "BEHOST", "BEHOST#20", "NOBODY", "--unicast", "127.0.0.1", "--port", Port, "--interface", "127.0.0.1", "--timeout", "1");

        Assert.Equal(1, exit);
        Assert.Equal("""
            127.0.0.1  BEHOST<00>  UNIQUE  B-node  ttl=300000  from 127.0.0.1
            127.0.0.1  BEHOST<20>  UNIQUE  B-node  ttl=300000  from 127.0.0.1
            note: 127.0.0.1 answered NameError

            """, stdout);
        Assert.Equal("nbt: NOBODY<00>: negative answer (NameError)\n", stderr);
    }

    [Fact]
    public async Task Query_MasterBrowser_AsksForTheOneDName_OrMsBrowse()
    {
        var workgroup = await RunAsync("query", "BEGROUP", "--master-browser", "--unicast", "127.0.0.1", "--port", Port, "--interface", "127.0.0.1");
        var browse = await RunAsync("query", "-", "-M", "--unicast", "127.0.0.1", "--port", Port, "--interface", "127.0.0.1");

        Assert.True(workgroup.Exit == 0, workgroup.Err);
        Assert.StartsWith("127.0.0.1  BEGROUP<1D>  UNIQUE", workgroup.Out, StringComparison.Ordinal);
        Assert.True(browse.Exit == 0, browse.Err);
        Assert.StartsWith("127.0.0.1  ..__MSBROWSE__.<01>  GROUP", browse.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Reverse_AddsTheDnsNameOfLoopback()
    {
        var (exit, stdout, stderr) = await RunAsync("query", "BEHOST", "--reverse", "--unicast", "127.0.0.1", "--port", Port, "--interface", "127.0.0.1");

        Assert.True(exit == 0, stderr);
        string first = stdout.Split("  ")[0];
        Assert.EndsWith(",", first, StringComparison.Ordinal); // "localhost," or "-," when the resolver has no name
    }

    [Fact]
    public async Task Status_NbtstatFormat_AndNonPrintableBytesAsDots()
    {
        var (exit, stdout, stderr) = await RunAsync("status", "127.0.0.1", "--format", "nbtstat", "--port", Port, "--interface", "127.0.0.1");

        Assert.True(exit == 0, stderr);
        Assert.Equal("""
            Node IpAddress: [127.0.0.1] Scope Id: []

                       NetBIOS Remote Machine Name Table

                   Name               Type         Status
                ---------------------------------------------
                BEHOST         <00>  UNIQUE      Registered
                BEHOST         <20>  UNIQUE      Registered
                BEGROUP        <1D>  UNIQUE      Registered
                ..__MSBROWSE__.<01>  GROUP       Registered

                MAC Address = 52-54-00-12-34-56

            """, stdout);
    }

    [Fact]
    public async Task Release_OfANameThisHostDoesNotHold_IsRefusedWithoutForce()
    {
        // Nothing answers for NOTHELD at this host's address (the port is the test node's, which does not hold it).
        var (exit, stdout, stderr) = await RunAsync("release", "NOTHELD", "--port", Port, "--interface", "127.0.0.1");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("nbt: NOTHELD<00> is not held by this host (127.0.0.1): no release sent (--force sends it anyway)\n", stderr);
    }

    [Fact]
    public async Task Release_OfANameThisHostHolds_IsSent()
    {
        var (exit, stdout, stderr) = await RunAsync("release", "BEHOST#20", "--port", Port, "--interface", "127.0.0.1");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("BEHOST<20>  BROADCAST", stdout, StringComparison.Ordinal);
    }
}
