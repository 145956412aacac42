using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary>
/// A <see cref="WinsServer"/> on a real UDP socket at 127.0.0.1 (ephemeral port) on a fake clock, and raw clients on
/// other loopback addresses (127.0.0.2, .3, …: the server tells holders apart by address) that send packets built
/// with the library's codecs. Challenge queries go to <see cref="ChallengePort"/>, where the clients made with
/// <see cref="ClientAsync"/> with <c>challengeable: true</c> listen.
/// </summary>
internal sealed class WinsTestBed : IAsyncDisposable
{
    public static readonly IPAddress ServerAddress = IPAddress.Loopback;

    private readonly List<WinsTestClient> _clients = [];

    private WinsTestBed(NameServiceEndpoint endpoint, WinsServer server, IWinsStore store, FakeTimeProvider time, int challengePort)
    {
        Endpoint = endpoint;
        Server = server;
        Store = store;
        Time = time;
        ChallengePort = challengePort;
    }

    public NameServiceEndpoint Endpoint { get; }

    public WinsServer Server { get; }

    public IWinsStore Store { get; }

    public FakeTimeProvider Time { get; }

    public int ChallengePort { get; }

    public IPEndPoint ServerEndPoint => Endpoint.LocalEndPoint;

    /// <summary>Starts a server; <paramref name="configure"/> edits its options; the challenge port is one picked free.</summary>
    public static Task<WinsTestBed> StartAsync(Action<WinsServerOptions>? configure = null, IWinsStore? store = null, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        int challengePort = FreePort();
        var options = new WinsServerOptions { ChallengePort = challengePort };
        configure?.Invoke(options);
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = ServerAddress, Port = 0 });
        var endpoint = new NameServiceEndpoint(transport, ServerAddress, time);
        store ??= new InMemoryWinsStore();
        var server = new WinsServer(endpoint, store, options, time);
        endpoint.Start();
        return Task.FromResult(new WinsTestBed(endpoint, server, store, time, challengePort));
    }

    /// <summary>A raw client on 127.0.0.<paramref name="lastOctet"/>; challengeable ones listen on the challenge port.</summary>
    public WinsTestClient Client(int lastOctet, bool challengeable = false)
    {
        var address = IPAddress.Parse($"127.0.0.{lastOctet}");
        var client = new WinsTestClient(new UdpClient(new IPEndPoint(address, challengeable ? ChallengePort : 0)), address, ServerEndPoint);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Endpoint.DisposeAsync();
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private static int FreePort()
    {
        // A port free on every loopback address: bound on 127.0.0.1 then released (the clients bind it on .2, .3, …).
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
