using System.Net;
using NetBios.Daemon;
using NetBios.NameService;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Testing;
using NetBios.Transport;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>
/// A daemon on a real Unix socket in a fresh temp directory, serving one station (LANA 0, 10.3.0.1) of an in-memory
/// segment; a second station on the segment (10.3.0.2) is the third party that observes what the daemon's clients hold.
/// The stations run on the real clock with short broadcast retries (a B-node registration takes 3 x 20 ms), so that
/// nothing needs a clock pump; tests that are about timers give the server its own fake clock.
/// </summary>
internal sealed class DaemonTestBed : IAsyncDisposable
{
    private readonly List<NetBiosDaemonClient> _clients = [];

    private DaemonTestBed(DirectoryInfo directory, InMemoryNetwork network, NetBiosStation station, NetBiosStation observer)
    {
        Directory = directory;
        Network = network;
        Station = station;
        Observer = observer;
        SocketPath = Path.Combine(directory.FullName, "nbtd.sock");
    }

    public DirectoryInfo Directory { get; }

    public InMemoryNetwork Network { get; }

    /// <summary>The daemon's station (LANA 0).</summary>
    public NetBiosStation Station { get; }

    /// <summary>Another node on the segment.</summary>
    public NetBiosStation Observer { get; }

    public string SocketPath { get; }

    public NetBiosDaemonServer? Server { get; private set; }

    /// <summary>A bed with its server started.</summary>
    public static async Task<DaemonTestBed> StartAsync(Action<NetBiosDaemonServerOptions>? configure = null, TimeProvider? serverTime = null)
    {
        var bed = await CreateAsync();
        await bed.StartServerAsync(configure, serverTime);
        return bed;
    }

    /// <summary>A bed without a server.</summary>
    public static async Task<DaemonTestBed> CreateAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("nbtd-test-");
        var network = new InMemoryNetwork(TimeProvider.System) { RecordTraffic = false, ReceiveQueueCapacity = 4096 };
        var segment = network.AddSegment(IPAddress.Parse("10.3.0.0"), 24);
        var station = await BindAsync(network, segment, "10.3.0.1");
        var observer = await BindAsync(network, segment, "10.3.0.2");
        return new DaemonTestBed(directory, network, station, observer);
    }

    public async Task StartServerAsync(Action<NetBiosDaemonServerOptions>? configure = null, TimeProvider? serverTime = null)
    {
        var options = new NetBiosDaemonServerOptions { SocketPath = SocketPath };
        configure?.Invoke(options);
        Server = new NetBiosDaemonServer(new Dictionary<byte, NetBiosStation> { [0] = Station }, options, null, serverTime);
        await Server.StartAsync(TestContext.Current.CancellationToken);
    }

    public async Task StopServerAsync()
    {
        if (Server is { } server)
        {
            Server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>A connected client (disposed with the bed).</summary>
    public async Task<NetBiosDaemonClient> ConnectAsync()
    {
        var client = await NetBiosDaemonClient.ConnectAsync(SocketPath, TestContext.Current.CancellationToken);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>A connected client with LANA 0 RESET.</summary>
    public async Task<NetBiosDaemonClient> ConnectAndResetAsync()
    {
        var client = await ConnectAsync();
        Assert.Equal(NcbReturnCode.GoodReturn, await client.ResetAsync(0));
        return client;
    }

    /// <summary>Whether the daemon's station holds <paramref name="name"/> registered.</summary>
    public bool StationHolds(string name) =>
        Station.FindName(NetBiosName.Create(name, 0x00)) is { State: LocalNameState.Registered };

    /// <summary>What the third party finds when it asks the segment for <paramref name="name"/>.</summary>
    public async Task<bool> ObserverFindsAsync(string name)
    {
        var result = await Observer.QueryAsync(NetBiosName.Create(name, 0x00), cancellationToken: TestContext.Current.CancellationToken);
        return result.Outcome == QueryOutcome.Found;
    }

    public async ValueTask DisposeAsync()
    {
        NetBiosDaemonClient[] clients;
        lock (_clients)
        {
            clients = [.. _clients];
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await StopServerAsync();
        await Station.DisposeAsync();
        await Observer.DisposeAsync();
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static async Task<NetBiosStation> BindAsync(InMemoryNetwork network, InMemorySegment segment, string address)
    {
        var ip = IPAddress.Parse(address);
        var host = network.AddHost(ip);
        var options = new StationOptions { Role = StationRole.Node };
        options.NameService.BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20);
        options.NameService.NegativeCacheTtl = TimeSpan.Zero;
        options.NameService.MaxCacheTtl = TimeSpan.Zero;

        // Calls between two clients of the daemon are TCP connections from the station's address to itself: a daemon's
        // station needs per-address limits that fit its local clients (docs/IPC.md "Station settings for a daemon").
        options.Sessions.MaxConnectionsPerAddress = 1024;
        options.Sessions.MaxPendingPerAddress = 1024;
        return await NetBiosStation.BindAsync(NetworkAdapter.Create(ip, segment.PrefixLength), options, host, TimeProvider.System);
    }
}
