using System.Text.Json;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 4 interop: our name service against Samba nmbd 4.17 on a broadcast segment of network namespaces.
/// (a) we find nmbd's names by broadcast and unicast and read its node status; (b) nmblookup finds our names and
/// reads our node status; (c) P-node registration and release with nmbd as WINS, including the WACK case;
/// (d) B-node conflicts both ways.
/// </summary>
[Trait("Category", "Interop")]
public sealed class NameServiceInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<string> _dirs = [];
    private BroadcastSegment _segment = null!;

    private BroadcastSegment.Host H1 => _segment.Hosts[0];

    private BroadcastSegment.Host H2 => _segment.Hosts[1];

    private BroadcastSegment.Host H3 => _segment.Hosts[2];

    public async ValueTask InitializeAsync()
    {
        InteropRequirements.Require("nmbd", "nmblookup");
        _segment = await BroadcastSegment.CreateAsync(hosts: 3);
    }

    public async ValueTask DisposeAsync()
    {
        if (_segment is not null)
        {
            await _segment.DisposeAsync();
        }

        foreach (string dir in _dirs)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_OurResolver_FindsNmbdNames_ByBroadcastAndUnicast_AndReadsNodeStatus()
    {
        await using var nmbd = await Samba.StartNmbdAsync(H1, _segment.BroadcastAddress, TempDir(), "PEERB1", "PEERTEST", winsSupport: false);

        var broadcast = await Nbt.RunAsync(H2, $"query PEERB1 --broadcast {_segment.BroadcastAddress} --json");
        var unicast = await Nbt.RunAsync(H2, $"query PEERB1#20 --unicast {H1.Address} --json");
        var group = await Nbt.RunAsync(H2, $"query PEERTEST#00 --broadcast {_segment.BroadcastAddress} --json");
        var status = await Nbt.RunAsync(H2, $"status {H1.Address} --json");
        var statusText = await Nbt.RunAsync(H2, $"status {H1.Address}");
        output.WriteLine(statusText.StdOut);

        Assert.True(broadcast.ExitCode == 0, broadcast.ToString());
        Assert.Equal(H1.Address, Json(broadcast).GetProperty("answers")[0].GetProperty("address").GetString());
        Assert.True(unicast.ExitCode == 0, unicast.ToString());
        Assert.Equal(H1.Address, Json(unicast).GetProperty("answers")[0].GetProperty("address").GetString());
        Assert.True(group.ExitCode == 0, group.ToString());
        Assert.True(Json(group).GetProperty("answers")[0].GetProperty("group").GetBoolean());
        Assert.True(status.ExitCode == 0, status.ToString());
        var names = Json(status).GetProperty("names").EnumerateArray()
            .Select(n => $"{n.GetProperty("name").GetString()}<{n.GetProperty("suffix").GetInt32():X2}>{(n.GetProperty("group").GetBoolean() ? "G" : "")}")
            .ToList();
        Assert.Contains("PEERB1<00>", names);
        Assert.Contains("PEERB1<20>", names);
        Assert.Contains("PEERTEST<00>G", names);

        var missing = await Nbt.RunAsync(H2, $"query NOSUCHNAME --broadcast {_segment.BroadcastAddress}");
        Assert.Equal(1, missing.ExitCode);
    }

    [Fact]
    public async Task B_Nmblookup_FindsOurNames_AndReadsOurNodeStatus()
    {
        await using var node = Nbt.Start(H3, "node", "--name", "OURNODE", "--group", "OURGRP", "--interface", H3.Address);
        Assert.True(await node.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), node.Output);
        string conf = Samba.WriteConf(TempDir(), "CLIENT", "PEERTEST", $"{H2.Address}/24", winsSupport: false);

        var byBroadcast = await H2.RunAsync($"nmblookup -s {conf} -d0 -B {_segment.BroadcastAddress} OURNODE");
        var server = await H2.RunAsync($"nmblookup -s {conf} -d0 -B {_segment.BroadcastAddress} 'OURNODE#20'");
        var byUnicast = await H2.RunAsync($"nmblookup -s {conf} -d0 -U {H3.Address} OURNODE");
        var status = await H2.RunAsync($"nmblookup -s {conf} -d0 -A {H3.Address}");
        output.WriteLine(status.StdOut);

        Assert.Contains($"{H3.Address} OURNODE<00>", byBroadcast.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{H3.Address} OURNODE<20>", server.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{H3.Address} OURNODE<00>", byUnicast.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"OURNODE\s+<00> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"OURNODE\s+<03> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"OURNODE\s+<20> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"OURGRP\s+<00> - <GROUP> B <ACTIVE>", status.StdOut);

        Assert.Equal(0, await node.StopAsync());
        Assert.Contains("Released OURNODE<20>", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task C_PNode_RegistersAndReleasesWithNmbdWins_IncludingWack()
    {
        await using var wins = await Samba.StartNmbdAsync(H1, _segment.BroadcastAddress, TempDir(), "PEERWINS", "PEERTEST", winsSupport: true);
        string conf = Samba.WriteConf(TempDir(), "CLIENT", "PEERTEST", $"{H2.Address}/24", winsSupport: false);

        await using (var node = Nbt.Start(H3, "node", "--name", "PNODE", "--node-type", "P", "--wins", H1.Address, "--interface", H3.Address))
        {
            Assert.True(await node.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), node.Output);
            Assert.Contains("PNODE<20>  REGISTERED", node.Output, StringComparison.Ordinal);

            var query = await H2.RunAsync($"nmblookup -s {conf} -d0 -U {H1.Address} --recursion 'PNODE#20'");
            Assert.Contains($"{H3.Address} PNODE<20>", query.StdOut, StringComparison.Ordinal);

            // WACK: the name is now owned by H3 in the WINS database; H2 asks for it. nmbd answers with a WACK,
            // challenges H3 (which defends it), and then refuses H2.
            var steal = Nbt.Start(H2, "node", "--add", "PNODE#20", "--node-type", "P", "--wins", H1.Address, "--interface", H2.Address, "-v");
            await using (steal)
            {
                Assert.True(await steal.WaitForOutputAsync("PNODE<20>", TimeSpan.FromSeconds(90)), steal.Output);
                output.WriteLine(steal.Output);
                Assert.Contains("CONFLICT", steal.Output, StringComparison.Ordinal);
                Assert.Contains("Waiting", steal.Output, StringComparison.Ordinal);
            }

            Assert.Equal(0, await node.StopAsync());
        }

        var after = await H2.RunAsync($"nmblookup -s {conf} -d0 -U {H1.Address} --recursion 'PNODE#20'");
        Assert.DoesNotContain($"{H3.Address} PNODE<20>", after.StdOut, StringComparison.Ordinal);
        Assert.Contains("Unique name release for name PNODE<20>", wins.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task D_BNodeConflicts_BothWays()
    {
        await using var nmbd = await Samba.StartNmbdAsync(H1, _segment.BroadcastAddress, TempDir(), "PEERB1", "PEERTEST", winsSupport: false);

        // Our node cannot take nmbd's name.
        var taken = await Nbt.RunAsync(H2, $"node --name PEERB1 --interface {H2.Address}", TimeSpan.FromSeconds(30));
        output.WriteLine(taken.StdOut + taken.StdErr);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains($"PEERB1<20>  CONFLICT  owned by {H1.Address}", taken.StdOut, StringComparison.Ordinal);

        // nmbd cannot take ours: an nmbd started with our name on H3 is refused and we keep answering for it.
        await using var node = Nbt.Start(H2, "node", "--name", "OURS", "--interface", H2.Address, "-v");
        Assert.True(await node.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), node.Output);
        string dir = TempDir();
        string conf = Samba.WriteConf(dir, "OURS", "PEERTEST", $"{H3.Address}/24", winsSupport: false);
        await using var rival = H3.Start("nmbd", "-F", "--debug-stdout", "-d", "3", "-s", conf, "-p", "137");
        Assert.True(await node.WaitForOutputAsync("Defended OURS", TimeSpan.FromSeconds(30)), node.Output);
        var lookup = await H1.RunAsync($"nmblookup -s {Samba.WriteConf(TempDir(), "CLIENT", "PEERTEST", $"{H1.Address}/24", false)} -d0 -B {_segment.BroadcastAddress} OURS");
        output.WriteLine(rival.Output);
        Assert.Contains($"{H2.Address} OURS<00>", lookup.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"{H3.Address} OURS<00>", lookup.StdOut, StringComparison.Ordinal);
    }

    private static JsonElement Json(CommandResult result) => JsonDocument.Parse(result.StdOut).RootElement;

    private string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nbt-interop-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        _dirs.Add(dir);
        return dir;
    }
}
