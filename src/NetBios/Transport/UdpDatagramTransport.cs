using System.Net;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>
/// A UDP socket as an <see cref="IDatagramTransport"/>: broadcast enabled, per-peer errors swallowed so that the
/// receive loop of an engine never dies (RELIABILITY rule 7: dotnet/corefx#33049, sipsorcery#1517).
/// </summary>
/// <remarks>
/// On Windows, SIO_UDP_CONNRESET is switched off so that an ICMP port unreachable after one of our sends does not
/// fail the next receive. Zero-length datagrams are received as length 0 and the socket is drained (Samba
/// CVE-2020-14303). Thread-safe for concurrent sends; one receiver at a time.
/// </remarks>
public sealed class UdpDatagramTransport : IDatagramTransport
{
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    private readonly Socket _socket;
    private int _disposed;

    private UdpDatagramTransport(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Creates and binds a UDP socket.</summary>
    /// <exception cref="TransportBindException">The port is in use, needs privileges, or the address is not local.</exception>
    public static UdpDatagramTransport Bind(UdpTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        var endPoint = new IPEndPoint(options.BindAddress, options.Port);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.EnableBroadcast = options.EnableBroadcast;
            if (options.ReuseAddress)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            if (options.ReceiveBufferSize is int size)
            {
                socket.ReceiveBufferSize = size;
            }

            if (OperatingSystem.IsWindows())
            {
                socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
            }

            socket.Bind(endPoint);
            return new UdpDatagramTransport(socket);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var reason = ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => TransportBindReason.AddressInUse,
                SocketError.AccessDenied => TransportBindReason.AccessDenied,
                SocketError.AddressNotAvailable => TransportBindReason.AddressNotAvailable,
                _ => TransportBindReason.Other,
            };
            throw new TransportBindException("UDP", endPoint, reason, ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // UDP promises nothing: an unreachable network, a full buffer or a refused peer is the same as a lost datagram.
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            try
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                return new DatagramReceiveResult(result.ReceivedBytes, (IPEndPoint)result.RemoteEndPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize
                or SocketError.NetworkReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.ConnectionRefused)
            {
                // Caused by one peer (or an ICMP error about an earlier send): go on with the next datagram.
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted && _disposed != 0)
            {
                throw new ObjectDisposedException(nameof(UdpDatagramTransport));
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
