using System.Net;
using System.Threading.Channels;
using NetBios.Transport;

namespace NetBios.Testing;

/// <summary>A listener on an <see cref="InMemoryHost"/>: connects enqueue the server end, AcceptAsync dequeues it.</summary>
internal sealed class InMemoryStreamListener : IStreamListener
{
    /// <summary>Connections waiting to be accepted before further connects are refused (a listen backlog).</summary>
    public const int Backlog = 128;

    private readonly InMemoryNetwork _network;
    private readonly Channel<InMemoryStreamConnection> _pending =
        Channel.CreateBounded<InMemoryStreamConnection>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.Wait });

    public InMemoryStreamListener(InMemoryNetwork network, InMemoryHost host, IPEndPoint localEndPoint)
    {
        _network = network;
        Host = host;
        LocalEndPoint = localEndPoint;
    }

    public IPEndPoint LocalEndPoint { get; }

    public InMemoryHost Host { get; }

    public bool TryEnqueue(InMemoryStreamConnection connection) => _pending.Writer.TryWrite(connection);

    public async ValueTask<IStreamConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (await _pending.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_pending.Reader.TryRead(out InMemoryStreamConnection? connection))
            {
                return connection;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _network.Unlisten(this);
        if (_pending.Writer.TryComplete())
        {
            // Connections nobody accepted are reset, as the OS does when a listening socket closes.
            while (_pending.Reader.TryRead(out InMemoryStreamConnection? orphan))
            {
                orphan.Abort();
                await orphan.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
