using System.Net;
using System.Net.Sockets;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Testing;
using NetBios.Transport;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>Where a benchmark station's sessions run.</summary>
public enum BenchNetwork
{
    /// <summary>The in-memory network: the figures isolate the IPC cost.</summary>
    Memory,

    /// <summary>Loopback TCP on a free port (names on an in-memory segment): as on a real machine.</summary>
    Loopback,
}

/// <summary>
/// One station (LANA 0) and a daemon serving it on a Unix socket in a temp directory, for <see cref="DaemonBenchmark"/>:
/// on the in-memory network, or with its sessions on real loopback TCP (127.0.0.1, a port that was free).
/// </summary>
internal sealed class DaemonBenchBed : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly List<NetBiosDaemonClient> _clients = [];

    private DaemonBenchBed(DirectoryInfo directory, IReadOnlyDictionary<byte, NetBiosStation> stations, NetBiosDaemonServer server)
    {
        _directory = directory;
        Stations = stations;
        Server = server;
    }

    /// <summary>LANA 0's station.</summary>
    public NetBiosStation Station => Stations[0];

    /// <summary>The stations by LANA (several on the in-memory network: a station holds at most 254 names).</summary>
    public IReadOnlyDictionary<byte, NetBiosStation> Stations { get; }

    public NetBiosDaemonServer Server { get; }

    public string SocketPath => Server.Options.SocketPath;

    public static async Task<DaemonBenchBed> StartAsync(BenchNetwork kind, int lanaCount = 1)
    {
        Assert.True(lanaCount == 1 || kind == BenchNetwork.Memory);
        var directory = Directory.CreateTempSubdirectory("nbtd-bench-");
        var network = new InMemoryNetwork(TimeProvider.System) { RecordTraffic = false, ReceiveQueueCapacity = 4096 };
        var segment = network.AddSegment(kind == BenchNetwork.Memory ? IPAddress.Parse("10.3.0.0") : IPAddress.Parse("127.0.0.0"),
            kind == BenchNetwork.Memory ? 24 : 8);
        var stations = new Dictionary<byte, NetBiosStation>();
        for (int lana = 0; lana < lanaCount; lana++)
        {
            var address = kind == BenchNetwork.Memory ? IPAddress.Parse($"10.3.0.{lana + 1}") : IPAddress.Loopback;
            stations[(byte)lana] = await BindAsync(kind, network, segment, address);
        }

        var server = new NetBiosDaemonServer(stations, new NetBiosDaemonServerOptions { SocketPath = Path.Combine(directory.FullName, "nbtd.sock") });
        await server.StartAsync(TestContext.Current.CancellationToken);
        return new DaemonBenchBed(directory, stations, server);
    }

    private static async Task<NetBiosStation> BindAsync(BenchNetwork kind, InMemoryNetwork network, InMemorySegment segment, IPAddress address)
    {
        var memoryHost = network.AddHost(address);
        var options = new StationOptions { Role = StationRole.Node };
        options.NameService.BroadcastRetryTimeout = TimeSpan.FromMilliseconds(20);
        options.Sessions.MaxConnectionsPerAddress = 2048;
        options.Sessions.MaxPendingPerAddress = 2048;
        INetworkHost host = memoryHost;
        if (kind == BenchNetwork.Loopback)
        {
            int port = FreeTcpPort();
            options.Sessions.ListenEndPoint = new IPEndPoint(IPAddress.Loopback, port);
            options.Sessions.RemotePort = port;
            host = new LoopbackSessionsHost(memoryHost);
        }

        return await NetBiosStation.BindAsync(NetworkAdapter.Create(address, segment.PrefixLength), options, host, TimeProvider.System);
    }

    /// <summary>A connected daemon client with LANA 0 RESET (disposed with the bed).</summary>
    public async Task<NetBiosDaemonClient> ConnectAndResetAsync(byte lana = 0)
    {
        var client = await NetBiosDaemonClient.ConnectAsync(SocketPath, TestContext.Current.CancellationToken);
        _clients.Add(client);
        Assert.Equal(NcbReturnCode.GoodReturn, await client.ResetAsync(lana));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
        foreach (var station in Stations.Values)
        {
            await station.DisposeAsync();
        }

        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static int FreeTcpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
