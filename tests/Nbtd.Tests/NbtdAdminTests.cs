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
