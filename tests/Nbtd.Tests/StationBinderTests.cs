using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.Diagnostics;
using NetBios.Transport;
using Nbtd.Configuration;
using Nbtd.Hosting;
using Xunit;

namespace Nbtd.Tests;

/// <summary>The binder in-process on loopback: the registry and the meter get every station, and the WINS server.</summary>
public sealed class StationBinderTests
{
    [Fact]
    public async Task BoundStationsAndTheWinsServerAreInTheRegistryAndMeasuredUntilStopped()
    {
        var first = FreePorts.Take();
        var second = FreePorts.Take();
        var options = new NbtdOptions
        {
            Stations =
            [
                new StationSettings { Lana = 2, Interface = "127.0.0.1", NameServicePort = first.Name, DatagramPort = first.Datagram, SessionPort = first.Session },
                new StationSettings { Lana = 5, Interface = "127.0.0.1", NameServicePort = second.Name, DatagramPort = second.Datagram, AcceptSessions = false },
            ],
            WinsServer = new WinsServerSettings { Enabled = true, Lana = 5, Database = WinsServerSettings.InMemoryDatabase },
        };
        var registry = new StationRegistry();
        using var metrics = new NetBiosMetrics();
        await using var binder = new StationBinder(options, registry, metrics, NullLoggerFactory.Instance, TimeProvider.System);

        await binder.BindAllAsync(SocketNetworkHost.Default, TestContext.Current.CancellationToken);

        Assert.Equal([2, 5], registry.Stations.Keys.Order().Select(k => (int)k));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, first.Session), registry.Stations[2].SessionEndPoint);
        Assert.Null(registry.Stations[5].SessionEndPoint);
        Assert.Equal((byte)5, registry.WinsLana);
        Assert.NotNull(registry.WinsServer);
        Assert.Equal(NetBios.Wire.NameService.NodeType.H, registry.Stations[5].NodeType); // its own server is its name server
        Assert.Equal(NetBios.Wire.NameService.NodeType.B, registry.Stations[2].NodeType);
        var snapshot = metrics.GetSnapshot();
        Assert.Contains(snapshot, s => s.Instrument == "netbios.name.packets" && (int)s.GetTag("lana")! == 2);
        Assert.Contains(snapshot, s => s.Instrument == "netbios.wins.requests" && (int)s.GetTag("lana")! == 5);
        Assert.DoesNotContain(snapshot, s => s.Instrument == "netbios.wins.requests" && (int)s.GetTag("lana")! == 2);

        Assert.True(await binder.StopAsync(TimeSpan.FromSeconds(30)));

        Assert.Empty(registry.Stations);
        Assert.Null(registry.WinsServer);
        Assert.Empty(metrics.GetSnapshot());
    }

    [Fact]
    public async Task APortInUseReleasesWhatWasBoundAndSaysWhichStation()
    {
        var first = FreePorts.Take();
        var options = new NbtdOptions
        {
            Stations =
            [
                new StationSettings { Lana = 0, Interface = "127.0.0.1", NameServicePort = first.Name, DatagramPort = first.Datagram, SessionPort = first.Session },
                new StationSettings { Lana = 1, Interface = "127.0.0.1", NameServicePort = first.Session, DatagramPort = first.Name, AcceptSessions = false },
            ],
        };
        var registry = new StationRegistry();
        using var metrics = new NetBiosMetrics();
        await using var binder = new StationBinder(options, registry, metrics, NullLoggerFactory.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<NbtdStartupException>(() => binder.BindAllAsync(SocketNetworkHost.Default, TestContext.Current.CancellationToken));

        Assert.StartsWith("Stations:1 (LANA 1): ", error.Message, StringComparison.Ordinal);
        Assert.Empty(registry.Stations);
        Assert.Empty(metrics.GetSnapshot());
    }
}
