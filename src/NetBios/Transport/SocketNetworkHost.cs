using System.Net;
using Microsoft.Extensions.Logging;

namespace NetBios.Transport;

/// <summary>This machine's real network: UDP sockets on 0.0.0.0 (so that subnet broadcasts arrive) and TCP.</summary>
/// <remarks>Stateless apart from its options; thread safe.</remarks>
public sealed class SocketNetworkHost : INetworkHost
{
    private readonly TcpStreamNetwork _streams;
    private readonly ILogger? _logger;

    /// <summary>Creates the host.</summary>
    /// <param name="tcpOptions">TCP socket options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for connect timeouts; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Receives the transports' debug messages; defaults to none.</param>
    public SocketNetworkHost(TcpStreamOptions? tcpOptions = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _streams = new TcpStreamNetwork(tcpOptions, timeProvider, logger);
        _logger = logger;
    }

    /// <summary>The host with default options and the system clock.</summary>
    public static SocketNetworkHost Default { get; } = new();

    /// <inheritdoc/>
    public IDatagramTransport BindDatagram(int port) =>
        UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Any, Port = port, EnableBroadcast = true }, _logger);

    /// <inheritdoc/>
    public ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default) =>
        _streams.ListenAsync(localEndPoint, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default) =>
        _streams.ConnectAsync(remoteEndPoint, cancellationToken);
}
