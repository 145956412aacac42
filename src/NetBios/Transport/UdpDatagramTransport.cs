using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NetBios.Transport;

/// <summary>
/// An <see cref="IDatagramTransport"/> over one IPv4 UDP socket. Create it with <see cref="Bind"/>.
/// </summary>
/// <remarks>
/// <para>
/// Hardened for a receive loop that must never die (docs/RELIABILITY.md §3.2): on Windows the socket is switched to ignore
/// ICMP port-unreachable reports (<c>SIO_UDP_CONNRESET</c> off), which otherwise make the next receive throw
/// <see cref="SocketError.ConnectionReset"/>; on every OS, per-packet socket errors are skipped inside
/// <see cref="ReceiveFromAsync"/>.
/// </para>
/// <para>
/// Truncation: a datagram longer than the receive buffer is truncated to the buffer on Linux and macOS. Windows
/// reports such a datagram as an error instead, and this transport then skips it; pass a buffer of 65507 bytes to
/// receive every datagram whole on every OS.
/// </para>
/// <para>Thread safety: all members are safe to call concurrently.</para>
/// </remarks>
public sealed class UdpDatagramTransport : IDatagramTransport
{
    /// <summary>The largest payload of an IPv4 UDP datagram: 65535 − 20 (IP header) − 8 (UDP header).</summary>
    public const int MaxDatagramLength = 65507;

    // Windows: WSAIoctl SIO_UDP_CONNRESET = _WSAIOW(IOC_VENDOR, 12).
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    private readonly Socket _socket;
    private readonly ILogger _logger;

    // One SocketAddress reused by receives (taken with Interlocked.Exchange so concurrent receives never share one),
    // and the endpoint built from the last sender so that repeated datagrams from one peer do not allocate it again.
    private SocketAddress? _receiveAddress;
    private SenderCache? _lastSender;
    private int _disposed;

    private UdpDatagramTransport(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The underlying socket, for tests that check its options.</summary>
    internal Socket Socket => _socket;

    /// <summary>Creates a UDP socket and binds it as <paramref name="options"/> say.</summary>
    /// <param name="options">Address, port and socket options; <see langword="null"/> for the defaults (0.0.0.0:137).</param>
    /// <param name="logger">Receives debug messages about swallowed per-peer errors; defaults to no logging.</param>
    /// <returns>The bound transport. Dispose it to close the socket.</returns>
    /// <exception cref="ArgumentException">An option is invalid (for example an IPv6 address).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port or the buffer size is out of range.</exception>
    /// <exception cref="TransportBindException">The port is in use, needs privileges, or the address is not local.</exception>
    public static UdpDatagramTransport Bind(UdpTransportOptions? options = null, ILogger? logger = null)
    {
        options ??= new UdpTransportOptions();
        options.Validate();
        logger ??= NullLogger.Instance;

        var endpoint = new IPEndPoint(options.Address, options.Port);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
            }

            socket.EnableBroadcast = options.EnableBroadcast;
            if (options.ReuseAddress)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            if (options.ReceiveBufferSize is int size)
            {
                socket.ReceiveBufferSize = size;
            }

            socket.Bind(endpoint);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw TransportBindException.FromSocketException("UDP", endpoint, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var transport = new UdpDatagramTransport(socket, logger);
        TransportLog.UdpBound(logger, transport.LocalEndPoint);
        return transport;
    }

    /// <inheritdoc/>
    public async ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        IPv4.ValidateDestination(destination);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(datagram.Length, MaxDatagramLength, nameof(datagram));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (SocketErrors.IsPerPeer(ex.SocketErrorCode) && Volatile.Read(ref _disposed) == 0)
        {
            TransportLog.SendErrorSwallowed(_logger, LocalEndPoint, destination, ex.SocketErrorCode);
        }
        catch (SocketException ex) when (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(GetType().FullName, ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        SocketAddress address = Interlocked.Exchange(ref _receiveAddress, null) ?? new SocketAddress(AddressFamily.InterNetwork);
        try
        {
            while (true)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException ex) when (Volatile.Read(ref _disposed) != 0 || ex.SocketErrorCode == SocketError.OperationAborted)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new ObjectDisposedException(GetType().FullName, ex);
                }
                catch (SocketException ex) when (SocketErrors.IsPerPeer(ex.SocketErrorCode))
                {
                    TransportLog.ReceiveErrorSkipped(_logger, LocalEndPoint, ex.SocketErrorCode);
                    continue;
                }

                return new DatagramReceiveResult(length, GetSender(address));
            }
        }
        finally
        {
            Volatile.Write(ref _receiveAddress, address);
        }
    }

    /// <summary>Closes the socket. Pending receives end with <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private IPEndPoint GetSender(SocketAddress address)
    {
        SenderCache? cached = Volatile.Read(ref _lastSender);
        if (cached is not null && cached.Address.Equals(address))
        {
            return cached.EndPoint;
        }

        var endpoint = (IPEndPoint)LocalEndPoint.Create(address);
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        Volatile.Write(ref _lastSender, new SenderCache(copy, endpoint));
        return endpoint;
    }

    private sealed record SenderCache(SocketAddress Address, IPEndPoint EndPoint);
}
