using System.Net;

namespace NetBios.Transport;

/// <summary>
/// Where stream connections come from: listen for callers and call others. Implemented over TCP by
/// <see cref="TcpStreamNetwork"/> and, for tests, by <c>InMemoryNetwork</c> and <c>InMemoryHost</c> (NetBios.Testing).
/// </summary>
public interface IStreamNetwork
{
    /// <summary>Binds and starts listening on <paramref name="localEndPoint"/>.</summary>
    /// <param name="localEndPoint">The IPv4 address and port to listen on; port 0 picks a free port (see
    /// <see cref="IStreamListener.LocalEndPoint"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The listener. Dispose it to stop listening.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="localEndPoint"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="localEndPoint"/> is not IPv4.</exception>
    /// <exception cref="TransportBindException">The port is in use, needs privileges, or the address is not local.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default);

    /// <summary>Connects to <paramref name="remoteEndPoint"/>.</summary>
    /// <param name="remoteEndPoint">The peer's IPv4 address and port.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The established connection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="remoteEndPoint"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="remoteEndPoint"/> is not IPv4.</exception>
    /// <exception cref="TransportConnectException">The peer refused, was unreachable, did not answer in time, or reset the new connection;
    /// <see cref="TransportConnectException.Reason"/> says which.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default);
}
