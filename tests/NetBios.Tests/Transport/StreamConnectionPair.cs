using System.Net;
using System.Net.Sockets;
using NetBios.Transport;

namespace NetBios.Tests.Transport;

/// <summary>A listener and one connection through it, both ends; disposing it closes them (server, client, listener).</summary>
internal sealed class StreamConnectionPair(IStreamListener listener, IStreamConnection client, IStreamConnection server) : IAsyncDisposable
{
    public IStreamListener Listener => listener;

    public IStreamConnection Client => client;

    public IStreamConnection Server => server;

    /// <summary>The accepted end's socket (TCP pairs only).</summary>
    public Socket ServerSocket => ((TcpStreamConnection)server).Socket;

    /// <summary>Listens on <paramref name="endPoint"/> of <paramref name="network"/>, connects to it and accepts that connection.</summary>
    public static async Task<StreamConnectionPair> ConnectAsync(IStreamNetwork network, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var listener = await network.ListenAsync(endPoint, cancellationToken);
        ValueTask<IStreamConnection?> accepting = listener.AcceptAsync(cancellationToken);
        var client = await network.ConnectAsync(listener.LocalEndPoint, cancellationToken);
        return new StreamConnectionPair(listener, client, (await accepting)!);
    }

    /// <summary>A pair over loopback TCP (port 0).</summary>
    public static Task<StreamConnectionPair> ConnectTcpAsync(CancellationToken cancellationToken) =>
        ConnectAsync(new TcpStreamNetwork(), new IPEndPoint(IPAddress.Loopback, 0), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await client.DisposeAsync();
        await listener.DisposeAsync();
    }
}
