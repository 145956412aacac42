using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NetBios.Transport;

/// <summary>
/// The real <see cref="IStreamNetwork"/>: IPv4 TCP sockets, with connections exposed as pipes over a
/// <see cref="NetworkStream"/>. Every connection (accepted or made) gets <see cref="TcpStreamOptions.NoDelay"/> and
/// the keepalive settings.
/// </summary>
/// <remarks>Stateless apart from its options; thread safe. Async I/O throughout: no thread per connection.</remarks>
public sealed class TcpStreamNetwork : IStreamNetwork
{
    private readonly TcpStreamOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the network.</summary>
    /// <param name="options">Socket options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for the connect timeout; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Receives debug messages; defaults to no logging.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TcpStreamNetwork(TcpStreamOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _options = options ?? new TcpStreamOptions();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        IPv4.RequireIPv4(localEndPoint.Address, nameof(localEndPoint));
        cancellationToken.ThrowIfCancellationRequested();

        var socket = NewSocket();
        try
        {
            socket.Bind(localEndPoint);
            socket.Listen(_options.ListenBacklog);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw TransportBindException.FromSocketException("TCP", localEndPoint, ex);
        }

        var listener = new TcpStreamListener(socket, this, _logger);
        TransportLog.TcpListening(_logger, listener.LocalEndPoint);
        return ValueTask.FromResult<IStreamListener>(listener);
    }

    /// <inheritdoc/>
    public async ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        IPv4.RequireIPv4(remoteEndPoint.Address, nameof(remoteEndPoint));

        var socket = NewSocket();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using ITimer? timer = _options.ConnectTimeout == Timeout.InfiniteTimeSpan
            ? null
            : _timeProvider.CreateTimer(static s => CancelQuietly((CancellationTokenSource)s!), timeout, _options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await socket.ConnectAsync(remoteEndPoint, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TransportConnectException(remoteEndPoint, ConnectFailureReason.TimedOut, SocketError.TimedOut);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw TransportConnectException.FromSocketException(remoteEndPoint, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        try
        {
            return CreateConnection(socket);
        }
        catch (SocketException ex)
        {
            // Reset between connect and setup (RemoteEndPoint or options failed with ENOTCONN): a server that accepts and
            // resets at once, seen by a caller that was slow to set up (issue 17 item 5).
            socket.Dispose();
            throw new TransportConnectException(remoteEndPoint, ConnectFailureReason.Reset, ex.SocketErrorCode, ex);
        }
    }

    private Socket NewSocket() => _options.SocketFactory?.Invoke() ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    internal TcpStreamConnection CreateConnection(Socket socket)
    {
        socket.NoDelay = _options.NoDelay;
        if (_options.KeepAlive)
        {
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)_options.KeepAliveTime.TotalSeconds);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)_options.KeepAliveInterval.TotalSeconds);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, _options.KeepAliveRetryCount);
            }
            catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException)
            {
                TransportLog.KeepAliveNotSupported(_logger, (IPEndPoint)socket.RemoteEndPoint!, ex.Message);
            }
        }

        return new TcpStreamConnection(socket);
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connect finished and disposed the source while the timer fired.
        }
    }
}
