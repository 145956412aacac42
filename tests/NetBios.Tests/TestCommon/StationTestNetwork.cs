using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Testing;
using NetBios.Tests.TestCommon;
using NetBios.Transport;
using NetBios.Wire.Datagram;
using Xunit;

namespace NetBios.Tests.TestCommon;

/// <summary>Stations (name service on 137, datagram service on 138, sessions on 139) on one in-memory segment (10.2.0.0/24), fake clock.</summary>
internal sealed class StationTestNetwork : IAsyncDisposable
{
    private readonly List<NetBiosStation> _stations = [];
    private int _nextHost = 1;

    public StationTestNetwork(string? scope = null)
    {
        Scope = scope;
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        Network = new InMemoryNetwork(Time);
        Segment = Network.AddSegment(IPAddress.Parse("10.2.0.0"), 24);
    }

    public string? Scope { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryNetwork Network { get; }

    public InMemorySegment Segment { get; }

    public NetBiosStation AddStation(Action<StationOptions>? configure = null)
    {
        var address = IPAddress.Parse($"10.2.0.{_nextHost++}");
        var host = Network.AddHost(address);
        var options = new StationOptions { Role = StationRole.Node, NameService = new NameServiceOptions { Scope = Scope } };
        configure?.Invoke(options);
        var adapter = NetworkAdapter.Create(address, Segment.PrefixLength);
        var station = NetBiosStation.BindAsync(adapter, options, host, Time).AsTask().GetAwaiter().GetResult(); // in memory: completes at once
        _stations.Add(station);
        return station;
    }

    /// <summary>A bare host with a socket on 138: for hand-made packets.</summary>
    public IDatagramTransport AddRawHost(out IPAddress address)
    {
        address = IPAddress.Parse($"10.2.0.{_nextHost++}");
        Network.AddHost(address);
        return Network.CreateDatagramTransport(address, 138);
    }

    public async Task<NetBiosName> Register(NetBiosStation station, string name, byte suffix = 0x00, bool group = false)
    {
        var netBiosName = NetBiosName.Create(name, suffix, Scope);
        var result = await Run(station.Names.RegisterAsync(netBiosName, group));
        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        return netBiosName;
    }

    public Task<T> Run<T>(ValueTask<T> operation, double limitSeconds = 60) =>
        FakeClock.RunAsync(Time, operation.AsTask(), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(limitSeconds));

    /// <summary>The next datagram of a subscription; fails the test after 10 s of real time.</summary>
    public static async Task<ReceivedDatagram> Next(DatagramSubscription subscription)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await subscription.ReceiveAsync(timeout.Token);
    }

    /// <summary>The next packet a raw host receives, decoded; fails the test after 10 s of real time or if it does not decode.</summary>
    public static async Task<DatagramPacket> NextPacket(IDatagramTransport raw)
    {
        byte[] buffer = new byte[UserDatagram.MaxUdpPayloadLength];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var received = await raw.ReceiveFromAsync(buffer, timeout.Token);
        Assert.True(DatagramPacket.TryDecode(buffer.AsSpan(0, received.Length), out var packet, out var error), error.ToString());
        return packet;
    }

    /// <summary>Two stations, A with ALICE&lt;00&gt; and B with BOB&lt;00&gt;.</summary>
    public async Task<(NetBiosStation A, NetBiosStation B, NetBiosName Alice, NetBiosName Bob)> AliceAndBob(Action<StationOptions>? configureB = null)
    {
        var a = AddStation();
        var b = AddStation(configureB);
        return (a, b, await Register(a, "ALICE"), await Register(b, "BOB"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var station in _stations)
        {
            await FakeClock.RunAsync(Time, station.DisposeAsync().AsTask(), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(60));
        }
    }
}
