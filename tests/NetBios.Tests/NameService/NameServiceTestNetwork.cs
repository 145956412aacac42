using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameService;
using NetBios.Testing;
using NetBios.Transport;

namespace NetBios.Tests.NameService;

/// <summary>Several name service nodes on one in-memory broadcast segment (10.1.0.0/24) with a fake clock.</summary>
internal sealed class NameServiceTestNetwork : IAsyncDisposable
{
    private readonly List<NameServiceNode> _nodes = [];
    private int _nextHost = 1;

    public NameServiceTestNetwork()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        Network = new InMemoryNetwork(Time);
        Segment = Network.AddSegment(IPAddress.Parse("10.1.0.0"), 24);
    }

    public InMemorySegment Segment { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryNetwork Network { get; }

    public NameServiceNode AddNode(Action<NameServiceOptions>? configure = null)
    {
        var address = IPAddress.Parse($"10.1.0.{_nextHost++}");
        Network.AddHost(address);
        var options = new NameServiceOptions();
        configure?.Invoke(options);
        var node = new NameServiceNode(Network.CreateDatagramTransport(address, 137), address, Segment.BroadcastAddress, options, Time);
        node.Start();
        _nodes.Add(node);
        return node;
    }

    public IDatagramTransport AddRawHost(out IPAddress address, int port = 137)
    {
        address = IPAddress.Parse($"10.1.0.{_nextHost++}");
        Network.AddHost(address);
        return Network.CreateDatagramTransport(address, port);
    }

    public Task<T> Run<T>(ValueTask<T> operation, double limitSeconds = 120) =>
        TestCommon.FakeClock.RunAsync(Time, operation.AsTask(), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(limitSeconds));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await TestCommon.FakeClock.RunAsync(Time, node.DisposeAsync().AsTask(), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(60));
        }
    }
}
