using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 15 interop: the <c>nbtd</c> daemon on the real ports (UDP 137/138, TCP 139) inside a namespace of a broadcast
/// segment, with its defaults (a B-node station on the first non-loopback interface, eth0 there, registering the
/// machine's name), seen by Samba's nmblookup from another namespace; and with its WINS server on an SQLite file,
/// where one of our P-nodes registers and nmblookup -U finds the name through it.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(NbtdInteropTests))]
[CollectionDefinition(nameof(NbtdInteropTests), DisableParallelization = true)]
public sealed class NbtdInteropTests(ITestOutputHelper output)
    : SegmentTestBase(3, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmblookup)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private SegmentHost H1 => Segment[1];

    private SegmentHost H2 => Segment[2];

    private SegmentHost H3 => Segment[3];

    /// <summary>nbtd.dll of this build (built first through the project reference).</summary>
    private static string NbtdPath
    {
        get
        {
            string nbt = Nbt.DllPath; // src/Nbt.Cli/bin/CONFIGURATION/net10.0/nbt.dll
            string configuration = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(nbt))!);
            string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(nbt)!, "..", "..", "..", "..", ".."));
            string path = Path.Combine(root, "src", "Nbtd", "bin", configuration, "net10.0", "nbtd.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"nbtd.dll not built at {path}");
        }
    }

    private static Task<CommandResult> Nmblookup(SegmentHost host, params string[] args)
    {
        using var client = SambaClient.Create(host.Namespace, host.InterfaceSpec);
        return client.NmblookupAsync(args);
    }

    /// <summary>The host name nbtd registers by default (its NbtdOptionsReader.DefaultHostName).</summary>
    private static string DefaultHostName()
    {
        string name = Environment.MachineName.Split('.')[0].ToUpperInvariant();
        return name.Length > 15 ? name[..15] : name;
    }

    [Fact]
    public async Task WithDefaults_NmblookupFromAnotherNamespaceListsItsNames_AndSigtermReleasesThem()
    {
        await using var nbtd = H1.Namespace.StartProcess("dotnet", [NbtdPath, "--Stations:0:Groups:0=NBTDGROUP", SocketArgument()]);
        Assert.True(await nbtd.WaitForOutputAsync("nbtd ready: 1 station(s), 4 name(s) registered", StartLimit), nbtd.Output);
        Assert.Contains($"B-node on {H1.Address}", nbtd.Output, StringComparison.Ordinal);

        var status = await Nmblookup(H2, "-A", H1.Address.ToString());
        output.WriteLine(status.StdOut);

        string host = DefaultHostName();
        string escaped = System.Text.RegularExpressions.Regex.Escape(host);
        Assert.Matches(escaped + @"\s+<00> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(escaped + @"\s+<03> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(escaped + @"\s+<20> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"NBTDGROUP\s+<00> - <GROUP> B <ACTIVE>", status.StdOut);

        var query = await Nmblookup(H3, "-B", H1.Broadcast.ToString(), host + "#20");
        Assert.Contains($"{H1.Address} {host}<20>", query.StdOut, StringComparison.Ordinal);

        Assert.True(await nbtd.StopAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, nbtd.ExitCode);
        Assert.Contains($"Released {host}<00>", nbtd.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheWinsServer_APNodeRegistersWithIt_AndNmblookupFindsTheNameThroughIt()
    {
        string database = Path.Combine(SambaConfig.CreateWorkDirectory("nbtd-wins"), "wins.db");
        await using var nbtd = H1.Namespace.StartProcess("dotnet",
            [NbtdPath, "--Stations:0:Name=NBTDWINS", "--WinsServer:Enabled=true", $"--WinsServer:Database={database}", SocketArgument()]);
        Assert.True(await nbtd.WaitForOutputAsync("nbtd ready: 1 station(s), 3 name(s) registered", StartLimit), nbtd.Output);
        Assert.Contains("WINS server on LANA 0", nbtd.Output, StringComparison.Ordinal);

        await using var client = Nbt.Start(H2.Namespace, "node", "--name", "PCLIENT", "--node-type", "P", "--wins", H1.Address.ToString(),
            "--interface", H2.Address.ToString());
        Assert.True(await client.WaitForOutputAsync("running", StartLimit), client.Output);

        var found = await Nmblookup(H3, "-U", H1.Address.ToString(), "--recursion", "PCLIENT#20");
        var own = await Nmblookup(H3, "-U", H1.Address.ToString(), "--recursion", "NBTDWINS#00");
        output.WriteLine(found.StdOut + own.StdOut);
        Assert.Contains($"{H2.Address} PCLIENT<20>", found.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{H1.Address} NBTDWINS<00>", own.StdOut, StringComparison.Ordinal);

        Assert.True(await client.StopAsync(TimeSpan.FromSeconds(20)));
        Assert.True(await nbtd.StopAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, nbtd.ExitCode);
        Assert.True(new FileInfo(database).Length > 0, "the SQLite file holds the records");
    }

    /// <summary>Its own local IPC socket (the default /run/nbtd/nbtd.sock belongs to the machine, not to a test).</summary>
    private static string SocketArgument() =>
        "--Ipc:SocketPath=" + Path.Combine(SambaConfig.CreateWorkDirectory("nbtd-ipc"), "nbtd.sock");
}
