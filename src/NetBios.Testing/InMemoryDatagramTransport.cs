using System.Net;
using System.Threading.Channels;
using NetBios.Transport;

namespace NetBios.Testing;

/// <summary>
/// An <see cref="IDatagramTransport"/> bound on an <see cref="InMemoryNetwork"/> host. Create it with
/// <see cref="InMemoryNetwork.CreateDatagramTransport"/> or <see cref="InMemoryHost.CreateDatagramTransport"/>.
/// </summary>
/// <remarks>
/// Received datagrams wait in a bounded queue (<see cref="InMemoryNetwork.ReceiveQueueCapacity"/>); when it is full,
/// new arrivals are dropped and counted in <see cref="DroppedCount"/>, as a full socket buffer would. Thread safety:
/// all members are safe to call concurrently.
/// </remarks>
public sealed class InMemoryDatagramTransport : IDatagramTransport
{
    private readonly InMemoryNetwork _network;
    private readonly Channel<Arrival> _queue;
    private long _dropped;
    private int _disposed;

    internal InMemoryDatagramTransport(InMemoryNetwork network, InMemoryHost host, IPAddress boundAddress, int port, int capacity)
    {
        _network = network;
        Host = host;
        LocalEndPoint = new IPEndPoint(boundAddress, port);
        _queue = Channel.CreateBounded<Arrival>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; we count the drop.
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <inheritdoc/>
    /// <remarks>The address is 0.0.0.0 for a transport bound to all of its host's addresses.</remarks>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The host this transport is bound on.</summary>
    public InMemoryHost Host { get; }

    /// <summary>How many arriving datagrams were dropped because the receive queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>How many datagrams are waiting to be received.</summary>
    public int QueuedCount => _queue.Reader.Count;

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc/>
    /// <remarks>The payload is copied before this method returns. Sends from an unplugged host, to unknown addresses or
    /// to hosts on other segments vanish silently.</remarks>
    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        IPv4.ValidateDestination(destination);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(datagram.Length, UdpDatagramTransport.MaxDatagramLength, nameof(datagram));
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _network.Send(this, datagram, destination);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Arrival arrival;
        try
        {
            arrival = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException(GetType().FullName, ex);
        }

        int length = Math.Min(arrival.Data.Length, buffer.Length);
        arrival.Data.AsSpan(0, length).CopyTo(buffer.Span);
        return new DatagramReceiveResult(length, arrival.Source);
    }

    /// <summary>Unbinds the port. Pending receives end with <see cref="ObjectDisposedException"/>; queued datagrams are discarded.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _network.Unbind(this);
            _queue.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Queues an arriving datagram, or counts it as dropped when the queue is full.</summary>
    internal void Enqueue(IPEndPoint source, byte[] data)
    {
        if (IsDisposed)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(new Arrival(source, data)) && !IsDisposed)
        {
            Interlocked.Increment(ref _dropped);
            _network.CountQueueDrop();
        }
    }

    private readonly record struct Arrival(IPEndPoint Source, byte[] Data);
}
