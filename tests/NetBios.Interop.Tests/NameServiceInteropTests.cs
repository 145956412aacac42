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
[Collection(nameof(NameServiceInteropTests))]
[CollectionDefinition(nameof(NameServiceInteropTests), DisableParallelization = true)]
public sealed class NameServiceInteropTests(ITestOutputHelper output)
    : SegmentTestBase(3, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmbd, InteropRequirements.Nmblookup)
{
    private SegmentHost H1 => Segment[1];

    private SegmentHost H2 => Segment[2];

    private SegmentHost H3 => Segment[3];

    private string Broadcast => Segment.Broadcast.ToString();

    private static Task<NmbdProcess> StartNmbdAsync(SegmentHost host, string name, bool wins) =>
        NmbdProcess.StartAsync(host.Namespace, new NmbdOptions
        {
            NetbiosName = name,
            Interfaces = host.InterfaceSpec,
            WinsSupport = wins,
            LogLevel = 3,
            StartTimeout = TimeSpan.FromSeconds(30),
        });

    private static Task<CommandResult> Nmblookup(SegmentHost host, params string[] args)
    {
        using var client = SambaClient.Create(host.Namespace, host.InterfaceSpec);
        return client.NmblookupAsync(args);
    }

    [Fact]
    public async Task A_OurResolver_FindsNmbdNames_ByBroadcastAndUnicast_AndReadsNodeStatus()
    {
        await using var nmbd = await StartNmbdAsync(H1, "PEERB1", wins: false);

        var broadcast = await Nbt.RunAsync(H2.Namespace, $"query PEERB1 --broadcast {Broadcast} --json");
        var unicast = await Nbt.RunAsync(H2.Namespace, $"query PEERB1#20 --unicast {H1.Address} --json");
        var group = await Nbt.RunAsync(H2.Namespace, $"query PEERTEST#00 --broadcast {Broadcast} --json");
        var status = await Nbt.RunAsync(H2.Namespace, $"status {H1.Address} --json");
        var statusText = await Nbt.RunAsync(H2.Namespace, $"status {H1.Address}");
        output.WriteLine(statusText.StdOut);

        Assert.True(broadcast.ExitCode == 0, broadcast.ToString());
        Assert.Equal(H1.Address.ToString(), Json(broadcast).GetProperty("answers")[0].GetProperty("address").GetString());
        Assert.True(unicast.ExitCode == 0, unicast.ToString());
        Assert.Equal(H1.Address.ToString(), Json(unicast).GetProperty("answers")[0].GetProperty("address").GetString());
        Assert.True(group.ExitCode == 0, group.ToString());
        Assert.True(Json(group).GetProperty("answers")[0].GetProperty("group").GetBoolean());
        Assert.True(status.ExitCode == 0, status.ToString());
        var names = Json(status).GetProperty("names").EnumerateArray()
            .Select(n => $"{n.GetProperty("name").GetProperty("name").GetString()}<{n.GetProperty("name").GetProperty("suffix").GetString()}>{(n.GetProperty("group").GetBoolean() ? "G" : "")}")
            .ToList();
        Assert.Contains("PEERB1<00>", names);
        Assert.Contains("PEERB1<20>", names);
        Assert.Contains("PEERTEST<00>G", names);

        var missing = await Nbt.RunAsync(H2.Namespace, $"query NOSUCHNAME --broadcast {Broadcast}");
        Assert.Equal(1, missing.ExitCode);
    }

    [Fact]
    public async Task B_Nmblookup_FindsOurNames_AndReadsOurNodeStatus()
    {
        await using var node = Nbt.Start(H3.Namespace, "node", "--name", "OURNODE", "--group", "OURGRP", "--interface", H3.Address.ToString());
        Assert.True(await node.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), node.Output);

        var byBroadcast = await Nmblookup(H2, "-B", Broadcast, "OURNODE");
        var server = await Nmblookup(H2, "-B", Broadcast, "OURNODE#20");
        var byUnicast = await Nmblookup(H2, "-U", H3.Address.ToString(), "OURNODE");
        var status = await Nmblookup(H2, "-A", H3.Address.ToString());
        output.WriteLine(status.StdOut);

        Assert.Contains($"{H3.Address} OURNODE<00>", byBroadcast.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{H3.Address} OURNODE<20>", server.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{H3.Address} OURNODE<00>", byUnicast.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"OURNODE\s+<00> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"OURNODE\s+<03> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"OURNODE\s+<20> -\s+B <ACTIVE>", status.StdOut);
        Assert.Matches(@"OURGRP\s+<00> - <GROUP> B <ACTIVE>", status.StdOut);

        Assert.True(await node.StopAsync());
        Assert.Equal(0, node.ExitCode);
        Assert.Contains("Released OURNODE<20>", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task C_PNode_RegistersAndReleasesWithNmbdWins_IncludingWack()
    {
        await using var wins = await StartNmbdAsync(H1, "PEERWINS", wins: true);

        await using (var node = Nbt.Start(H3.Namespace, "node", "--name", "PNODE", "--node-type", "P", "--wins", H1.Address.ToString(), "--interface", H3.Address.ToString(), "--refresh", "2"))
        {
            Assert.True(await node.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), node.Output);
            Assert.Contains("PNODE<20>  REGISTERED", node.Output, StringComparison.Ordinal);

            // Refresh (opcode 8) with nmbd: it answers with opcode 5, and the name stays registered.
            Assert.True(await node.WaitForOutputAsync("Refreshed PNODE<20>: Registered", TimeSpan.FromSeconds(15)), node.Output);

            var query = await Nmblookup(H2, "-U", H1.Address.ToString(), "--recursion", "PNODE#20");
            Assert.Contains($"{H3.Address} PNODE<20>", query.StdOut, StringComparison.Ordinal);

            // WACK: the name is now owned by H3 in the WINS database; H2 asks for it. nmbd answers with a WACK,
            // challenges H3 (which defends it), and then refuses H2.
            var steal = Nbt.Start(H2.Namespace, "node", "--add", "PNODE#20", "--node-type", "P", "--wins", H1.Address.ToString(), "--interface", H2.Address.ToString(), "-v");
            await using (steal)
            {
                // The log line about the WACK names PNODE<20> too: wait for the result table's word itself.
                Assert.True(await steal.WaitForOutputAsync("PNODE<20>  CONFLICT", TimeSpan.FromSeconds(90)), steal.Output);
                output.WriteLine(steal.Output);
                Assert.Contains("Waiting", steal.Output, StringComparison.Ordinal);
            }

            Assert.True(await node.StopAsync());
            Assert.Equal(0, node.ExitCode);
        }

        var after = await Nmblookup(H2, "-U", H1.Address.ToString(), "--recursion", "PNODE#20");
        Assert.DoesNotContain($"{H3.Address} PNODE<20>", after.StdOut, StringComparison.Ordinal);
        Assert.True(await wins.WaitForLogAsync("Unique name release for name PNODE<20>", TimeSpan.FromSeconds(30)), wins.Log);
    }

    [Fact]
    public async Task D_BNodeConflicts_BothWays()
    {
        await using var nmbd = await StartNmbdAsync(H1, "PEERB1", wins: false);

        // Our node cannot take nmbd's name.
        var taken = await Nbt.RunAsync(H2.Namespace, $"node --name PEERB1 --interface {H2.Address}", TimeSpan.FromSeconds(30));
        output.WriteLine(taken.StdOut + taken.StdErr);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains($"PEERB1<20>  CONFLICT  owned by {H1.Address}", taken.StdOut, StringComparison.Ordinal);

        // nmbd cannot take ours: an nmbd started with our name on H3 is refused and we keep answering for it.
        await using var node = Nbt.Start(H2.Namespace, "node", "--name", "OURS", "--interface", H2.Address.ToString(), "-v");
        Assert.True(await node.WaitForOutputAsync("running", TimeSpan.FromSeconds(30)), node.Output);
        string dir = SambaConfig.CreateWorkDirectory("nmbd");
        string conf = SambaConfig.WriteNmbd(dir, new NmbdOptions { NetbiosName = "OURS", Interfaces = H3.InterfaceSpec, WinsSupport = false, LogLevel = 3 });
        await using var rival = H3.Namespace.StartProcess("nmbd", ["-F", "--debug-stdout", "-d", "3", "-s", conf, "-p", "137"], dir);
        // Defences are logged once per interval with a count: "Defended our names N time(s) …; latest OURS<xx> against …".
        Assert.True(await node.WaitForOutputAsync("latest OURS<", TimeSpan.FromSeconds(30)), node.Output);
        var lookup = await Nmblookup(H1, "-B", Broadcast, "OURS");
        output.WriteLine(rival.Output);
        Assert.Contains($"{H2.Address} OURS<00>", lookup.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain($"{H3.Address} OURS<00>", lookup.StdOut, StringComparison.Ordinal);
        await rival.StopAsync();
        SambaConfig.DeleteWorkDirectory(dir);
    }

    private static JsonElement Json(CommandResult result) => JsonDocument.Parse(result.StdOut).RootElement;
}
