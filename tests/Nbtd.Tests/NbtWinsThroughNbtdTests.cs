using System.Net;
using System.Text.Json;
using NetBios;
using NetBios.NameService;
using NetBios.Station;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// <c>nbt wins</c> through a running nbtd that serves WINS from an SQLite file (docs/IPC.md "WINS operations"): the
/// real tool lists, shows and deletes the live server's records over the daemon's socket while it serves, and the
/// deleted name is at once unknown to the server on the wire.
/// </summary>
public sealed class NbtWinsThroughNbtdTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NbtWins_ListsShowsAndDeletesTheLiveServersRecords_ThroughNbtd()
    {
        var ports = FreePorts.Take();
        string dir = Directory.CreateTempSubdirectory("nbtd-winsadmin-").FullName;
        try
        {
            await using var nbtd = NbtdProcess.Start([
                .. FreePorts.LoopbackStation(ports, "NBTDWADM"),
                "--WinsServer:Enabled=true",
                $"--WinsServer:Database={Path.Combine(dir, "wins.db")}",
            ]);
            await nbtd.WaitForOutputAsync("nbtd ready", StartLimit);
            var env = new Dictionary<string, string> { ["NBT_DAEMON"] = nbtd.SocketPath! };

            var server = new IPEndPoint(IPAddress.Loopback, ports.Name);
            var options = new NameServiceOptions { RemotePort = ports.Name, NodeType = NetBios.Wire.NameService.NodeType.P };
            options.NameServers.Add(server);
            await using var client = await NetBiosStation.BindAsync(IPAddress.Loopback, new StationOptions { NameService = options }, cancellationToken: Ct);
            var name = NetBiosName.Create("WINSADMIN", 0x00);
            Assert.Equal(RegistrationOutcome.Registered, (await client.AddNameAsync(name, cancellationToken: Ct)).Outcome);

            var list = await NbtProcess.RunAsync(env, "wins", "list", "-v");
            Assert.True(list.Exit == 0, list.Stderr);
            Assert.Contains("WINSADMIN<00>", list.Stdout, StringComparison.Ordinal);
            Assert.Contains("NBTDWADM<00>", list.Stdout, StringComparison.Ordinal); // the server's own station registers with it
            Assert.Contains("the database of the NetBIOS daemon's WINS server", list.Stderr, StringComparison.Ordinal);

            var show = await NbtProcess.RunAsync(env, "wins", "show", "WINSADMIN", "--json");
            Assert.True(show.Exit == 0, show.Stderr);
            using (var json = JsonDocument.Parse(show.Stdout))
            {
                Assert.Equal("Active", json.RootElement.GetProperty("state").GetString());
                Assert.Equal("127.0.0.1", json.RootElement.GetProperty("addresses")[0].GetProperty("address").GetString());
            }

            var delete = await NbtProcess.RunAsync(env, "wins", "delete", "WINSADMIN");
            Assert.True(delete.Exit == 0, delete.Stdout + delete.Stderr);
            Assert.Contains("deleted WINSADMIN<00>", delete.Stdout, StringComparison.Ordinal);
            Assert.Contains("deleted by uid", nbtd.Stdout + nbtd.Stderr, StringComparison.Ordinal); // the daemon's audit line

            // The live server no longer knows the name (a query straight to it, not from a cache).
            var query = await client.QueryAsync(name, new NameQueryOptions { Target = server, UseCache = false }, Ct);
            Assert.NotEqual(QueryOutcome.Found, query.Outcome);
            var gone = await NbtProcess.RunAsync(env, "wins", "show", "WINSADMIN");
            Assert.Equal(1, gone.Exit);
            Assert.Contains("not in the database", gone.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
