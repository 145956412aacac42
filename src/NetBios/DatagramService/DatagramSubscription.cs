using System.Threading.Channels;

namespace NetBios.DatagramService;

/// <summary>
/// A receiver registered with <see cref="DatagramServiceNode.Subscribe"/>: it gets every matching datagram that arrives
/// from the moment it was created until it is disposed, queued up to
/// <see cref="DatagramServiceOptions.ReceiveQueueCapacity"/> (the oldest is dropped when the reader falls behind).
/// </summary>
public sealed class DatagramSubscription : IDisposable
{
    private readonly Channel<ReceivedDatagram> _queue;
    private readonly Action<DatagramSubscription> _unsubscribe;

    internal DatagramSubscription(DatagramReceiveFilter filter, int capacity, Action<DatagramSubscription> unsubscribe, Action onOverflow)
    {
        Filter = filter;
        _unsubscribe = unsubscribe;
        _queue = Channel.CreateBounded<ReceivedDatagram>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = false },
            _ => onOverflow());
    }

    /// <summary>Which datagrams this receiver gets.</summary>
    public DatagramReceiveFilter Filter { get; }

    /// <summary>Waits for the next datagram.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ChannelClosedException">The subscription or the service was disposed.</exception>
    public ValueTask<ReceivedDatagram> ReceiveAsync(CancellationToken cancellationToken = default) => _queue.Reader.ReadAsync(cancellationToken);

    /// <summary>Every datagram, until the subscription or the service is disposed or the token is cancelled.</summary>
    /// <param name="cancellationToken">Ends the enumeration (with <see cref="OperationCanceledException"/>).</param>
    public IAsyncEnumerable<ReceivedDatagram> ReadAllAsync(CancellationToken cancellationToken = default) => _queue.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Stops receiving; queued datagrams can still be read.</summary>
    public void Dispose()
    {
        _unsubscribe(this);
        _queue.Writer.TryComplete();
    }

    internal void Deliver(ReceivedDatagram datagram) => _queue.Writer.TryWrite(datagram);

    internal void Complete() => _queue.Writer.TryComplete();
}
