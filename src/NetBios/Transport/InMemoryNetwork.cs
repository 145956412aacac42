using System.Net;
using System.Threading.Channels;

namespace NetBios.Transport;

/// <summary>
/// A deterministic network in memory, for fast tests with a fake clock: IPv4 hosts on broadcast segments,
/// datagram endpoints bound to (host, port), unicast and broadcast delivery, traffic recording and fault injection.
/// </summary>
/// <remarks>
/// <para>
/// A datagram sent to a segment's broadcast address (or 255.255.255.255) reaches every endpoint bound to that port
/// on every host of the sender's segment, the sender's own host included (Linux loops broadcasts back to local
/// sockets; see <see cref="LoopBroadcastsToSender"/>). Unicast reaches the one endpoint bound to the destination;
/// anything else vanishes, as UDP does. Delays run on the injected <see cref="TimeProvider"/>, so
/// <c>FakeTimeProvider.Advance</c> releases them.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class InMemoryNetwork
{
    private readonly Lock _lock = new();
    private readonly List<NetworkAdapter> _hosts = [];
    private readonly HashSet<IPAddress> _unplugged = [];
    private readonly Dictionary<IPEndPoint, InMemoryDatagramTransport> _endpoints = [];
    private readonly List<InMemoryDatagram> _sent = [];
    private int _nextEphemeralPort = 49152;

    /// <summary>Creates an empty network.</summary>
    /// <param name="timeProvider">The clock for delays; defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemoryNetwork(TimeProvider? timeProvider = null) => TimeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Whether a broadcast is also delivered to endpoints on the sender's own host. Defaults to true (Linux behaviour).</summary>
    public bool LoopBroadcastsToSender { get; set; } = true;

    /// <summary>Most datagrams queued per endpoint; more are dropped and counted. Defaults to 1024.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Decides the fate of each datagram (deliver, drop, duplicate, delay). Defaults to delivering everything at once.</summary>
    public Func<InMemoryDatagram, DeliveryDecision>? Filter { get; set; }

    /// <summary>Raised for every datagram sent, before the filter; for tests that assert what went on the wire.</summary>
    public event Action<InMemoryDatagram>? DatagramSent;

    /// <summary>Every datagram sent so far, in order.</summary>
    public IReadOnlyList<InMemoryDatagram> Sent
    {
        get
        {
            lock (_lock)
            {
                return _sent.ToList();
            }
        }
    }

    /// <summary>Adds a host: an address on the segment given by its prefix (hosts with the same network share a segment).</summary>
    /// <returns>The host's adapter (address, mask, broadcast).</returns>
    public NetworkAdapter AddHost(IPAddress address, int prefixLength = 24)
    {
        var adapter = NetworkAdapter.Create(address, prefixLength, interfaceName: "mem0");
        lock (_lock)
        {
            if (_hosts.Any(h => h.Address.Equals(address)))
            {
                throw new ArgumentException($"host {address} already exists", nameof(address));
            }

            _hosts.Add(adapter);
        }

        return adapter;
    }

    /// <summary>Disconnects a host: nothing it sends leaves, nothing reaches it.</summary>
    public void Unplug(IPAddress host)
    {
        lock (_lock)
        {
            _unplugged.Add(host);
        }
    }

    /// <summary>Reconnects a host.</summary>
    public void Plug(IPAddress host)
    {
        lock (_lock)
        {
            _unplugged.Remove(host);
        }
    }

    /// <summary>Binds a datagram endpoint on a host; port 0 picks a free ephemeral port.</summary>
    /// <exception cref="ArgumentException">The host does not exist.</exception>
    /// <exception cref="TransportBindException">The port is already bound on that host.</exception>
    public IDatagramTransport CreateDatagramTransport(IPAddress host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            if (!_hosts.Any(h => h.Address.Equals(host)))
            {
                throw new ArgumentException($"no host {host} on the in-memory network", nameof(host));
            }

            if (port == 0)
            {
                do
                {
                    port = _nextEphemeralPort++;
                }
                while (_endpoints.ContainsKey(new IPEndPoint(host, port)));
            }

            var endPoint = new IPEndPoint(host, port);
            if (_endpoints.ContainsKey(endPoint))
            {
                throw new TransportBindException("UDP", endPoint, TransportBindReason.AddressInUse);
            }

            var transport = new InMemoryDatagramTransport(this, endPoint, QueueCapacity);
            _endpoints.Add(endPoint, transport);
            return transport;
        }
    }

    internal void Unbind(InMemoryDatagramTransport transport)
    {
        lock (_lock)
        {
            _endpoints.Remove(transport.LocalEndPoint);
        }
    }

    internal void Send(IPEndPoint source, ReadOnlyMemory<byte> payload, IPEndPoint destination)
    {
        var datagram = new InMemoryDatagram(source, destination, payload.ToArray());
        List<InMemoryDatagramTransport> receivers;
        lock (_lock)
        {
            _sent.Add(datagram);
            if (_unplugged.Contains(source.Address))
            {
                receivers = [];
            }
            else
            {
                receivers = Receivers(source, destination);
            }
        }

        DatagramSent?.Invoke(datagram);
        var decision = Filter?.Invoke(datagram) ?? DeliveryDecision.Deliver;
        if (decision.Drop)
        {
            return;
        }

        foreach (var receiver in receivers)
        {
            for (int copy = 0; copy < decision.Copies; copy++)
            {
                if (decision.Delay <= TimeSpan.Zero)
                {
                    receiver.Enqueue(datagram);
                }
                else
                {
                    ITimer? timer = null;
                    timer = TimeProvider.CreateTimer(
                        _ =>
                        {
                            receiver.Enqueue(datagram);
                            timer?.Dispose();
                        },
                        null, decision.Delay, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    private List<InMemoryDatagramTransport> Receivers(IPEndPoint source, IPEndPoint destination)
    {
        var sender = _hosts.FirstOrDefault(h => h.Address.Equals(source.Address));
        bool broadcast = destination.Address.Equals(IPAddress.Broadcast)
            || (sender is not null && destination.Address.Equals(sender.BroadcastAddress));
        if (!broadcast)
        {
            return _endpoints.TryGetValue(destination, out var target) && !_unplugged.Contains(destination.Address) ? [target] : [];
        }

        if (sender is null)
        {
            return [];
        }

        return _endpoints.Values
            .Where(e => e.LocalEndPoint.Port == destination.Port
                && !_unplugged.Contains(e.LocalEndPoint.Address)
                && sender.Contains(e.LocalEndPoint.Address)
                && (LoopBroadcastsToSender || !e.LocalEndPoint.Address.Equals(source.Address)))
            .ToList();
    }
}

/// <summary>A datagram on an <see cref="InMemoryNetwork"/>.</summary>
/// <param name="Source">The sender's endpoint.</param>
/// <param name="Destination">Where it was sent (possibly a broadcast address).</param>
/// <param name="Payload">A copy of the bytes.</param>
public sealed record InMemoryDatagram(IPEndPoint Source, IPEndPoint Destination, byte[] Payload);

/// <summary>What an <see cref="InMemoryNetwork.Filter"/> does with a datagram.</summary>
/// <param name="Drop">Lose it.</param>
/// <param name="Copies">How many copies each receiver gets (2 = duplicated, as nmbd's double answers).</param>
/// <param name="Delay">Deliver after this long on the network's clock.</param>
public readonly record struct DeliveryDecision(bool Drop, int Copies, TimeSpan Delay)
{
    /// <summary>Deliver once, now.</summary>
    public static DeliveryDecision Deliver => new(false, 1, TimeSpan.Zero);

    /// <summary>Lose the datagram.</summary>
    public static DeliveryDecision Lose => new(true, 0, TimeSpan.Zero);

    /// <summary>Deliver twice.</summary>
    public static DeliveryDecision Duplicate => new(false, 2, TimeSpan.Zero);

    /// <summary>Deliver once after <paramref name="delay"/>.</summary>
    public static DeliveryDecision DelayBy(TimeSpan delay) => new(false, 1, delay);
}

/// <summary>An endpoint on an <see cref="InMemoryNetwork"/>.</summary>
internal sealed class InMemoryDatagramTransport : IDatagramTransport
{
    private readonly InMemoryNetwork _network;
    private readonly Channel<InMemoryDatagram> _queue;
    private int _disposed;

    public InMemoryDatagramTransport(InMemoryNetwork network, IPEndPoint localEndPoint, int capacity)
    {
        _network = network;
        LocalEndPoint = localEndPoint;
        _queue = Channel.CreateBounded<InMemoryDatagram>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams dropped because the queue was full.</summary>
    public long Dropped { get; private set; }

    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        _network.Send(LocalEndPoint, datagram, destination);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        InMemoryDatagram datagram;
        try
        {
            datagram = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(InMemoryDatagramTransport));
        }

        int length = Math.Min(datagram.Payload.Length, buffer.Length);
        datagram.Payload.AsSpan(0, length).CopyTo(buffer.Span);
        return new DatagramReceiveResult(length, datagram.Source);
    }

    public void Enqueue(InMemoryDatagram datagram)
    {
        if (!_queue.Writer.TryWrite(datagram) && _disposed == 0)
        {
            Dropped++;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            _network.Unbind(this);
        }

        return ValueTask.CompletedTask;
    }
}
