using System.Threading.Channels;
using NetBios.DatagramService;
using NetBios.Station;

namespace Nbt.Cli.Commands;

/// <summary>Merges several datagram subscriptions into one stream, in arrival order, until a token ends it.</summary>
internal sealed class DatagramFeed : IDisposable
{
    private readonly NetBiosStation _station;
    private readonly CancellationToken _stop;
    private readonly Channel<ReceivedDatagram> _merged = Channel.CreateBounded<ReceivedDatagram>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly List<DatagramSubscription> _subscriptions = [];
    private readonly List<Task> _pumps = [];

    public DatagramFeed(NetBiosStation station, CancellationToken stop)
    {
        _station = station;
        _stop = stop;
    }

    public void Add(DatagramReceiveFilter filter)
    {
        var subscription = _station.SubscribeDatagrams(filter);
        _subscriptions.Add(subscription);
        _pumps.Add(PumpAsync(subscription));
    }

    /// <summary>Every datagram until the token is cancelled (then the enumeration simply ends).</summary>
    public async IAsyncEnumerable<ReceivedDatagram> ReadAllAsync()
    {
        while (true)
        {
            ReceivedDatagram datagram;
            try
            {
                datagram = await _merged.Reader.ReadAsync(_stop);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (ChannelClosedException)
            {
                yield break;
            }

            yield return datagram;
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private async Task PumpAsync(DatagramSubscription subscription)
    {
        try
        {
            await foreach (var datagram in subscription.ReadAllAsync(_stop))
            {
                _merged.Writer.TryWrite(datagram);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
