using System.Net;
using System.Text.Json;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 14 interop: our WINS server (<c>nbt node --wins-server</c>) with Samba 4.17 peers on a broadcast segment of
/// network namespaces. (a) nmbd with <c>wins server = ours</c> registers and refreshes its names with us,
/// <c>nmblookup -U ours --recursion</c> finds them, and our resolver finds them through us; (b) our P and H nodes
/// register with our server, nmblookup finds them through it, and a second claim is refused after the owner defends.
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(WinsInteropTests))]
[CollectionDefinition(nameof(WinsInteropTests), DisableParallelization = true)]
public sealed class WinsInteropTests(ITestOutputHelper output)
    : SegmentTestBase(3, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmbd, InteropRequirements.Nmblookup)
{
    private SegmentHost H1 => Segment[1];

    private SegmentHost H2 => Segment[2];

    private SegmentHost H3 => Segment[3];

    private static Task<CommandResult> Nmblookup(SegmentHost host, params string[] args)
    {
        using var client = SambaClient.Create(host.Namespace, host.InterfaceSpec);
        return client.NmblookupAsync(args);
    }

    /// <summary>
    /// Our node with the WINS server on H1, TTLs short enough for nmbd to refresh within the test, its records in an
    /// SQLite file of a work directory (removed with the harness's other work directories).
    /// </summary>
    private NamespaceProcess StartOurWins(int maxTtl = 300) =>
        Nbt.Start(H1.Namespace, "node", "--name", "OURWINS", "--wins-server", "--wins-min-ttl", "10", "--wins-max-ttl", maxTtl.ToString(),
            "--database", Path.Combine(SambaConfig.CreateWorkDirectory("wins"), "wins.db"), "--interface", H1.Address.ToString(), "-v");

    [Fact]
    public async Task A_NmbdRegistersAndRefreshesWithUs_AndItsNamesResolveThroughUs()
    {
        await using var wins = StartOurWins(maxTtl: 20);
        Assert.True(await wins.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), wins.Output);
        Assert.Contains("OURWINS<20>  REGISTERED", wins.Output, StringComparison.Ordinal);

        await using var nmbd = await NmbdProcess.StartAsync(H2.Namespace, new NmbdOptions
        {
            NetbiosName = "PEERNMBD",
            Interfaces = H2.InterfaceSpec,
            WinsSupport = false,
            ExtraLines = [$"wins server = {H1.Address}"],
            ProbeTarget = new IPEndPoint(H2.Address, 137),
            LogLevel = 3,
            StartTimeout = TimeSpan.FromSeconds(30),
        });

        Assert.True(await wins.WaitForOutputAsync("WINS: registered PEERNMBD<20>", TimeSpan.FromSeconds(60)), wins.Output + nmbd.Log);
        Assert.True(await wins.WaitForOutputAsync("WINS: registered PEERTEST<00> (Group)", TimeSpan.FromSeconds(60)), wins.Output + nmbd.Log);

        var unique = await Nmblookup(H3, "-U", H1.Address.ToString(), "--recursion", "PEERNMBD#20");
        var group = await Nmblookup(H3, "-U", H1.Address.ToString(), "--recursion", "PEERTEST#00");
        var ours = await Nbt.RunAsync(H3.Namespace, $"query PEERNMBD#20 --node-type P --wins {H1.Address} --interface {H3.Address} --json");
        output.WriteLine(unique.StdOut + group.StdOut + ours.StdOut);

        Assert.Contains($"{H2.Address} PEERNMBD<20>", unique.StdOut, StringComparison.Ordinal);
        Assert.Contains("255.255.255.255 PEERTEST<00>", group.StdOut, StringComparison.Ordinal);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal(H2.Address.ToString(), JsonDocument.Parse(ours.StdOut).RootElement.GetProperty("answers")[0].GetProperty("address").GetString());

        // nmbd refreshes (opcode 8/9) before the short TTL we granted runs out.
        Assert.True(await wins.WaitForOutputAsync("WINS: refreshed PEERNMBD<", TimeSpan.FromSeconds(120)), wins.Output + nmbd.Log);

        Assert.True(await wins.StopAsync());
        Assert.Equal(0, wins.ExitCode);
    }

    [Fact]
    public async Task B_OurPAndHNodes_RegisterWithOurServer_AndASecondClaimIsRefused()
    {
        await using var wins = StartOurWins();
        Assert.True(await wins.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), wins.Output);

        await using var pnode = Nbt.Start(H3.Namespace, "node", "--name", "PNODE", "--node-type", "P", "--wins", H1.Address.ToString(), "--interface", H3.Address.ToString());
        await using var hnode = Nbt.Start(H2.Namespace, "node", "--name", "HNODE", "--node-type", "H", "--wins", H1.Address.ToString(), "--interface", H2.Address.ToString());
        Assert.True(await pnode.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), pnode.Output);
        Assert.True(await hnode.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), hnode.Output);
        Assert.Contains("PNODE<20>  REGISTERED", pnode.Output, StringComparison.Ordinal);
        Assert.Contains("HNODE<20>  REGISTERED", hnode.Output, StringComparison.Ordinal);

        var p = await Nmblookup(H2, "-U", H1.Address.ToString(), "--recursion", "PNODE#20");
        var h = await Nmblookup(H3, "-U", H1.Address.ToString(), "--recursion", "HNODE#20");
        Assert.Contains($"{H3.Address} PNODE<20>", p.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{H2.Address} HNODE<20>", h.StdOut, StringComparison.Ordinal);

        // H2 claims PNODE<20>: WACK, our server challenges H3, H3 defends, H2 is refused; the name stays H3's.
        var steal = await Nbt.RunAsync(H2.Namespace, $"register PNODE#20 --node-type P --wins {H1.Address} --interface {H2.Address} -v",
            TimeSpan.FromSeconds(90));
        output.WriteLine(steal.ToString());
        Assert.NotEqual(0, steal.ExitCode);
        Assert.Contains("WINS: challenging", wins.Output, StringComparison.Ordinal);
        var after = await Nmblookup(H2, "-U", H1.Address.ToString(), "--recursion", "PNODE#20");
        Assert.Contains($"{H3.Address} PNODE<20>", after.StdOut, StringComparison.Ordinal);

        // A release from H2 (not a holder) is answered but changes nothing; H3's own release does.
        var foreign = await Nbt.RunAsync(H2.Namespace, $"release PNODE#20 --node-type P --wins {H1.Address} --interface {H2.Address}");
        output.WriteLine(foreign.ToString());
        var still = await Nmblookup(H2, "-U", H1.Address.ToString(), "--recursion", "PNODE#20");
        Assert.Contains($"{H3.Address} PNODE<20>", still.StdOut, StringComparison.Ordinal);
        Assert.True(await pnode.StopAsync());
        Assert.True(await wins.WaitForOutputAsync("WINS: PNODE<20> released by", TimeSpan.FromSeconds(15)), wins.Output);
        var gone = await Nmblookup(H2, "-U", H1.Address.ToString(), "--recursion", "PNODE#20");
        Assert.DoesNotContain($"{H3.Address} PNODE<20>", gone.StdOut, StringComparison.Ordinal);
    }

    /// <summary>
    /// A registration our server acknowledged on the wire is in its SQLite database after the server stops, and
    /// <c>nbt wins show</c> reads it from there (owner, address, state, version).
    /// </summary>
    [Fact]
    public async Task C_AnAcknowledgedRegistration_IsInTheDatabaseAfterTheServerStops()
    {
        string dir = SambaConfig.CreateWorkDirectory("wins");
        string database = Path.Combine(dir, "wins.db");
        await using (var wins = Nbt.Start(H1.Namespace, "node", "--name", "OURWINS", "--wins-server", "--database", database,
            "--interface", H1.Address.ToString()))
        {
            Assert.True(await wins.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), wins.Output);
            var register = await Nbt.RunAsync(H2.Namespace, $"register DURABLE#20 --node-type P --wins {H1.Address} --interface {H2.Address}");
            output.WriteLine(register.StdOut + register.StdErr);
            Assert.Equal(0, register.ExitCode);
            await wins.StopAsync(TimeSpan.FromSeconds(15)); // durable once acknowledged, however the server ends
        }

        var show = await Nbt.RunAsync(H1.Namespace, $"wins show DURABLE#20 --database {database} --json");
        output.WriteLine(show.StdOut + show.StdErr);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains(H2.Address.ToString(), show.StdOut, StringComparison.Ordinal);
        Assert.Contains("Active", show.StdOut, StringComparison.OrdinalIgnoreCase);
        SambaConfig.DeleteWorkDirectory(dir);
    }
}
