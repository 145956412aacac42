using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace NetBios.Transport;

/// <summary>Log messages of the transport layer. Event IDs 1000–1099 are reserved for transports.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "UDP {LocalEndPoint}: receive skipped a per-packet error {SocketError}")]
    public static partial void ReceiveErrorSkipped(ILogger logger, IPEndPoint localEndPoint, SocketError socketError);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "UDP {LocalEndPoint}: send to {Destination} failed with {SocketError}; datagram dropped")]
    public static partial void SendErrorSwallowed(ILogger logger, IPEndPoint localEndPoint, IPEndPoint destination, SocketError socketError);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "UDP bound to {LocalEndPoint}")]
    public static partial void UdpBound(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "TCP listening on {LocalEndPoint}")]
    public static partial void TcpListening(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "TCP accept on {LocalEndPoint} skipped a per-connection error {SocketError}")]
    public static partial void AcceptErrorSkipped(ILogger logger, IPEndPoint localEndPoint, SocketError socketError);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "TCP keepalive options could not be set on {RemoteEndPoint}: {Error}")]
    public static partial void KeepAliveNotSupported(ILogger logger, IPEndPoint remoteEndPoint, string error);
}
