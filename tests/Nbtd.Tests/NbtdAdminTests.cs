using System.Collections;
using System.Text.Json;
using Nbtd.Configuration;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// Issue 15 items 5 and 6: the real <c>nbt</c> against the real nbtd through its socket (NBT_DAEMON=PATH): <c>nbt
/// names</c> lists nbtd's names, <c>nbt register</c> leaves a name held by the daemon after nbt exited, <c>nbt
/// release</c> removes it, <c>nbt stats --json</c> has the counters, <c>nbt cache --purge</c> works (the tests run as
/// root, which the purge needs by default). Without a daemon the daemon-only commands say so and exit 3.
/// </summary>
public sealed class NbtdAdminTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Nbt_ThroughNbtd_ListsNames_HoldsAndReleasesAName_PrintsStats_AndPurgesTheCache()
    {
        var ports = FreePorts.Take();
        await using var nbtd = NbtdProcess.Start(FreePorts.LoopbackStation(ports, "NBTDADMIN"));
        await nbtd.WaitForOutputAsync("nbtd ready", StartLimit);
        var env = new Dictionary<string, string> { ["NBT_DAEMON"] = nbtd.SocketPath! };

        var names = await NbtProcess.RunAsync(env, "names", "-v");
        Assert.True(names.Exit == 0, names.Stderr);
        Assert.Contains("NBTDADMIN<00>", names.Stdout, StringComparison.Ordinal);
        Assert.Contains("NBTDADMIN<20>", names.Stdout, StringComparison.Ordinal);
        Assert.Contains("nbtd (station)", names.Stdout, StringComparison.Ordinal);
        Assert.Contains("through the NetBIOS daemon (nbtd)", names.Stderr, StringComparison.Ordinal);

        var register = await NbtProcess.RunAsync(env, "register", "HELDBYNBTD");
        Assert.True(register.Exit == 0, register.Stdout + register.Stderr);
        Assert.Contains("REGISTERED", register.Stdout, StringComparison.Ordinal);
        Assert.Contains("held by nbtd", register.Stdout, StringComparison.Ordinal);

        // nbt has exited: the daemon still holds the name.
        var held = await NbtProcess.RunAsync(env, "names", "--json");
        Assert.True(held.Exit == 0, held.Stderr);
        var entry = FindName(held.Stdout, "HELDBYNBTD");
        Assert.NotNull(entry);
        Assert.Equal("daemon", entry.Value.GetProperty("holder").GetString());
        Assert.Equal("Registered", entry.Value.GetProperty("state").GetString());
        Assert.Equal("00", entry.Value.GetProperty("name").GetProperty("suffix").GetString());

        var release = await NbtProcess.RunAsync(env, "release", "HELDBYNBTD");
        Assert.True(release.Exit == 0, release.Stdout + release.Stderr);
        Assert.Null(FindName((await NbtProcess.RunAsync(env, "names", "--json")).Stdout, "HELDBYNBTD"));
        var again = await NbtProcess.RunAsync(env, "release", "HELDBYNBTD");
        Assert.Equal(1, again.Exit);
        Assert.Contains("not held by the NetBIOS daemon", again.Stderr, StringComparison.Ordinal);

        var stats = await NbtProcess.RunAsync(env, "stats", "--json");
        Assert.True(stats.Exit == 0, stats.Stderr);
        using (var json = JsonDocument.Parse(stats.Stdout))
        {
            var metrics = json.RootElement.GetProperty("metrics").EnumerateArray().ToList();
            var sent = metrics.Single(m => m.GetProperty("instrument").GetString() == "netbios.name.packets"
                && m.GetProperty("tags").GetProperty("direction").GetString() == "sent");
            Assert.True(sent.GetProperty("value").GetInt64() > 0);
            Assert.Equal("counter", sent.GetProperty("kind").GetString());
            Assert.Equal(0, sent.GetProperty("tags").GetProperty("lana").GetInt32());
            Assert.Contains(metrics, m => m.GetProperty("instrument").GetString() == "netbios.name.registrations");
        }

        var purge = await NbtProcess.RunAsync(env, "cache", "--purge");
        Assert.True(purge.Exit == 0, purge.Stderr);
        Assert.Contains("LANA 0: purged", purge.Stdout, StringComparison.Ordinal);
        var cache = await NbtProcess.RunAsync(env, "cache", "--json");
        Assert.True(cache.Exit == 0, cache.Stderr);
        using (var json = JsonDocument.Parse(cache.Stdout))
        {
            Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("cache").ValueKind);
        }

        Assert.Equal(0, (await NbtProcess.RunAsync(env, "sessions")).Exit);
    }

    [Fact]
    public async Task AHeldName_IsHeldAgainAfterNbtdRestarts_UntilReleased_AndABadHeldNamesFileIsMovedAside()
    {
        var ports = FreePorts.Take();
        string directory = Directory.CreateTempSubdirectory("nbtd-held-").FullName;
        string state = Path.Combine(directory, "held-names");
        string socket = Path.Combine(directory, "nbtd.sock");
        string[] args = [.. FreePorts.LoopbackStation(ports, "NBTDRESTART"), "--HeldNamesFile=" + state, "--Ipc:SocketPath=" + socket];
        var env = new Dictionary<string, string> { ["NBT_DAEMON"] = socket };

        await using (var first = NbtdProcess.Start(args))
        {
            await first.WaitForOutputAsync("serving local programs", StartLimit);
            var register = await NbtProcess.RunAsync(env, "register", "--group", "KEPTGROUP");
            Assert.True(register.Exit == 0, register.Stdout + register.Stderr);
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(StartLimit));
        }

        Assert.Contains("\tG\t0\t" + Convert.ToHexString(NetBios.NetBiosName.Create("KEPTGROUP", 0x00).ToArray()) + "\t\n", File.ReadAllText(state), StringComparison.Ordinal);
        await using (var second = NbtdProcess.Start(args))
        {
            await second.WaitForOutputAsync("serving local programs", StartLimit);
            Assert.Contains("holding 1 name(s) again", second.Stdout, StringComparison.Ordinal);
            var names = await NbtProcess.RunAsync(env, "names", "--json");
            var entry = FindName(names.Stdout, "KEPTGROUP");
            Assert.NotNull(entry);
            Assert.Equal("daemon", entry.Value.GetProperty("holder").GetString());
            Assert.Equal("Registered", entry.Value.GetProperty("state").GetString());
            Assert.True(entry.Value.GetProperty("group").GetBoolean());
            Assert.Equal(0u, entry.Value.GetProperty("uid").GetUInt32());
            Assert.Equal(JsonValueKind.Null, entry.Value.GetProperty("ttlLeft").ValueKind); // a B-node name does not expire

            var release = await NbtProcess.RunAsync(env, "release", "KEPTGROUP");
            Assert.True(release.Exit == 0, release.Stdout + release.Stderr);
            Assert.DoesNotContain("\tG\t", File.ReadAllText(state), StringComparison.Ordinal);
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(StartLimit));
        }

        File.WriteAllText(state, "0\tU\tnot-a-uid\tXX\t\n");
        await using (var third = NbtdProcess.Start(args))
        {
            await third.WaitForOutputAsync("serving local programs", StartLimit);
            Assert.Contains(state, third.Stdout + third.Stderr, StringComparison.Ordinal);
            Assert.Contains("line 1", third.Stdout + third.Stderr, StringComparison.Ordinal);
            Assert.True(File.Exists(state + ".corrupt"));
            Assert.False(File.Exists(state));
            Assert.Equal(0, (await NbtProcess.RunAsync(env, "names")).Exit);
        }
    }

    [Fact]
    public async Task CachePurge_ReadsTheLmhostsFileAgain_SoANewPreEntryIsInTheCache()
    {
        var ports = FreePorts.Take();
        string lmhosts = Path.Combine(Directory.CreateTempSubdirectory("nbtd-lmhosts-").FullName, "lmhosts");
        const string First = "127.0.0.5 \"FIRSTPRE       \\0x20\" #PRE\n"; // the Windows form: 15 characters, then the suffix byte
        File.WriteAllText(lmhosts, First);
        await using var nbtd = NbtdProcess.Start([.. FreePorts.LoopbackStation(ports, "NBTDLMHOSTS"), "--Stations:0:Lmhosts=" + lmhosts]);
        await nbtd.WaitForOutputAsync("serving local programs", StartLimit);
        var env = new Dictionary<string, string> { ["NBT_DAEMON"] = nbtd.SocketPath! };
        Assert.Equal(["FIRSTPRE"], await CachedNamesAsync(env));

        File.WriteAllText(lmhosts, First + "127.0.0.6 \"SECONDPRE      \\0x20\" #PRE\n");
        var purge = await NbtProcess.RunAsync(env, "cache", "--purge");
        Assert.True(purge.Exit == 0, purge.Stderr);
        Assert.Contains("reloaded 2 LMHOSTS #PRE entries", purge.Stdout, StringComparison.Ordinal);
        Assert.Equal(["FIRSTPRE", "SECONDPRE"], await CachedNamesAsync(env));

        File.Delete(lmhosts); // unreadable now: the entries read before stay
        Assert.Equal(0, (await NbtProcess.RunAsync(env, "cache", "--purge")).Exit);
        Assert.Equal(["FIRSTPRE", "SECONDPRE"], await CachedNamesAsync(env));
        await nbtd.WaitForOutputAsync("could not be read again", StartLimit);

        static async Task<string[]> CachedNamesAsync(Dictionary<string, string> env)
        {
            var cache = await NbtProcess.RunAsync(env, "cache", "--json");
            Assert.True(cache.Exit == 0, cache.Stderr);
            using var json = JsonDocument.Parse(cache.Stdout);
            return [.. json.RootElement.GetProperty("cache").EnumerateArray()
                .Where(e => e.GetProperty("permanent").GetBoolean())
                .Select(e => e.GetProperty("name").GetProperty("name").GetString()!)
                .Order(StringComparer.Ordinal)];
        }
    }

    [Fact]
    public async Task WithoutADaemon_TheDaemonOnlyCommands_SaySoInOneLine_AndExit3()
    {
        var env = new Dictionary<string, string> { ["NBT_DAEMON"] = "off" };
        foreach (string command in new[] { "names", "sessions", "cache", "stats" })
        {
            var run = await NbtProcess.RunAsync(env, command);
            Assert.Equal(3, run.Exit);
            Assert.StartsWith("nbt: no NetBIOS daemon (nbtd) is running", run.Stderr, StringComparison.Ordinal);
            Assert.Single(run.Stderr.Trim().Split('\n'));
        }
    }

    [Fact]
    public void ManageStation_IsRootOnlyByDefault_AndConfiguredLikeTheOtherAccessRules()
    {
        var defaults = NbtdOptionsReader.Read(NbtdConfigurationSources.Build([], new Hashtable(), defaultConfigPath: "/nonexistent/nbtd.json"), "host");
        Assert.False(defaults.Ipc.AccessPolicy.ManageStation.Allows(1000, 1000));
        Assert.True(defaults.Ipc.AccessPolicy.ManageStation.Allows(0, 0));

        var given = NbtdOptionsReader.Read(NbtdConfigurationSources.Build(
            ["--Ipc:AccessPolicy:ManageStation:UserIds:0=1000"], new Hashtable(), defaultConfigPath: "/nonexistent/nbtd.json"), "host");
        Assert.True(given.Ipc.AccessPolicy.ManageStation.Allows(1000, 5));
        Assert.Equal(NetBios.Daemon.NetBiosDaemonPermissions.ManageStation,
            given.Ipc.AccessPolicy.PermissionsFor(1000, 5) & NetBios.Daemon.NetBiosDaemonPermissions.ManageStation);
    }

    private static JsonElement? FindName(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var entry in document.RootElement.GetProperty("names").EnumerateArray())
        {
            if (entry.GetProperty("name").GetProperty("name").GetString() == name)
            {
                return entry.Clone();
            }
        }

        return null;
    }
}
