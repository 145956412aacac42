using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace NetBios.Transport;

/// <summary>A listening TCP socket; <see cref="AcceptAsync"/> returns <see langword="null"/> once it is disposed.</summary>
internal sealed class TcpStreamListener : IStreamListener
{
    private readonly Socket _socket;
    private readonly TcpStreamNetwork _network;
    private readonly ILogger _logger;
    private int _disposed;

    public TcpStreamListener(Socket socket, TcpStreamNetwork network, ILogger logger)
    {
        _socket = socket;
        _network = network;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public async ValueTask<IStreamConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException) when (Volatile.Read(ref _disposed) != 0)
            {
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                // The caller gave up before we accepted; Kestrel skips these too.
                TransportLog.AcceptErrorSkipped(_logger, LocalEndPoint, ex.SocketErrorCode);
                continue;
            }

            try
            {
                return _network.CreateConnection(accepted);
            }
            catch (SocketException ex)
            {
                // Reset between accept and setup (RemoteEndPoint or options failed).
                TransportLog.AcceptErrorSkipped(_logger, LocalEndPoint, ex.SocketErrorCode);
                accepted.Dispose();
            }
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
