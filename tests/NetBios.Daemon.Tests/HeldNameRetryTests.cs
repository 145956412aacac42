using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Testing;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>
/// A held name whose name server is silent when the daemon starts (a P node's WINS server down at boot) is not dropped:
/// it stays in the held-names file and is registered again later, on the registry's clock (docs/NBTD.md "Held names");
/// releasing it meanwhile ends the wait. The stations run on the real clock with short retries; the registry's waits
/// on a fake one.
/// </summary>
public sealed class HeldNameRetryTests
{
    private static readonly IPEndPoint Wins = new(IPAddress.Parse("10.3.0.9"), 137);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ANameWhoseServerIsSilentAtStart_IsKeptAndHeldOnceTheServerAnswers()
    {
        await using var net = await PNodeNetwork.StartAsync();
        var (registry, file, time) = net.Registry(("WAITING", 1000u));

        Assert.Equal(0, await registry.RestoreAsync(net.Stations, NullLogger.Instance, Ct));
        var name = NetBiosName.Create("WAITING", 0x00);
        Assert.Equal([name], registry.Retrying().Select(h => h.Name));
        Assert.Equal([name], file.Load().Names.Select(h => h.Name)); // kept for the next start too

        // The server comes up; the next try (after the first delay) registers and holds the name.
        await using var server = await net.StartWinsServerAsync();
        Assert.True(await RetriedUntilAsync(time, () => registry.Find(0, name) is not null), "the name was not held after the retry");
        Assert.Empty(registry.Retrying());
        Assert.Equal(LocalNameState.Registered, net.Station.FindName(name)?.State);
        Assert.NotNull(await server.Store.FindAsync(name, Ct));
        Assert.Equal([(name, 1000u)], file.Load().Names.Select(h => (h.Name, h.UserId)));
    }

    [Fact]
    public async Task ReleasingANameThatWaitsForItsServer_EndsTheWait_AndDropsItFromTheFile()
    {
        await using var net = await PNodeNetwork.StartAsync();
        var (registry, file, time) = net.Registry(("GIVEUP", 0u), ("OTHER", 0u));
        await registry.RestoreAsync(net.Stations, NullLogger.Instance, Ct);
        Assert.Equal(2, registry.Retrying().Count);

        Assert.True(registry.Remove(0, NetBiosName.Create("GIVEUP", 0x00)));
        Assert.Equal(["OTHER"], file.Load().Names.Select(h => h.Name.ToString().Split('<')[0]));

        // Later tries register only the name still waiting.
        await using var server = await net.StartWinsServerAsync();
        Assert.True(await RetriedUntilAsync(time, () => registry.Find(0, NetBiosName.Create("OTHER", 0x00)) is not null));
        Assert.Null(net.Station.FindName(NetBiosName.Create("GIVEUP", 0x00)));
    }

    /// <summary>Moves the registry's clock to the next try (the first delay, then the longest one: a try that timed out on
    /// a loaded machine waits longer) until <paramref name="done"/>, at most 10 tries of 3 s each.</summary>
    private static async Task<bool> RetriedUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        for (int i = 0; i < 10; i++)
        {
            time.Advance(i == 0 ? HeldNameRegistry.FirstRetryDelay : HeldNameRegistry.MaxRetryDelay);
            if (await EventuallyAsync(done, seconds: 3))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A P node (10.3.0.1, LANA 0) whose name server 10.3.0.9 is not there until <see cref="StartWinsServerAsync"/>.</summary>
    private sealed class PNodeNetwork : IAsyncDisposable
    {
        private readonly InMemoryNetwork _network;
        private readonly InMemorySegment _segment;
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("held-retry-");
        private readonly List<IAsyncDisposable> _owned = [];

        private PNodeNetwork(InMemoryNetwork network, InMemorySegment segment, NetBiosStation station)
        {
            _network = network;
            _segment = segment;
            Station = station;
            _owned.Add(station);
        }

        public NetBiosStation Station { get; }

        public IReadOnlyDictionary<byte, NetBiosStation> Stations => new Dictionary<byte, NetBiosStation> { [0] = Station };

        public static async Task<PNodeNetwork> StartAsync()
        {
            var network = new InMemoryNetwork(TimeProvider.System) { RecordTraffic = false };
            var segment = network.AddSegment(IPAddress.Parse("10.3.0.0"), 24);
            var options = new StationOptions { Role = StationRole.Node };
            options.NameService.NodeType = NodeType.P;
            options.NameService.NameServers.Add(Wins);
            options.NameService.UnicastRetryTimeout = TimeSpan.FromMilliseconds(100);
            var ip = IPAddress.Parse("10.3.0.1");
            var station = await NetBiosStation.BindAsync(NetworkAdapter.Create(ip, 24), options, network.AddHost(ip), TimeProvider.System);
            return new PNodeNetwork(network, segment, station);
        }

        /// <summary>A registry on a fake clock whose state file holds these names (LANA 0, unique).</summary>
        public (HeldNameRegistry Registry, HeldNameStateFile File, FakeTimeProvider Time) Registry(params (string Name, uint Uid)[] names)
        {
            var file = new HeldNameStateFile(Path.Combine(_directory.FullName, "held-names"));
            file.Save(names.Select(n => new HeldName(0, NetBiosName.Create(n.Name, 0x00), false, n.Uid, 0)));
            var time = new FakeTimeProvider();
            return (new HeldNameRegistry { StateFile = file, Time = time }, file, time);
        }

        /// <summary>Starts the WINS server at 10.3.0.9.</summary>
        public async Task<WinsServer> StartWinsServerAsync()
        {
            var host = _network.AddHost(Wins.Address);
            var station = await NetBiosStation.BindAsync(NetworkAdapter.Create(Wins.Address, _segment.PrefixLength),
                new StationOptions { Role = StationRole.Node }, host, TimeProvider.System);
            _owned.Add(station);
            return new WinsServer(station.Names.Endpoint, new InMemoryWinsStore());
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var owned in Enumerable.Reverse(_owned))
            {
                await owned.DisposeAsync();
            }

            _directory.Delete(recursive: true);
        }
    }
}
