using System.Net;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>
/// A stream connection could not be established. <see cref="Reason"/> tells the session service which NetBIOS
/// outcome to report (for example "no answer" for <see cref="ConnectFailureReason.Refused"/> and
/// <see cref="ConnectFailureReason.TimedOut"/>).
/// </summary>
public sealed class TransportConnectException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public TransportConnectException()
        : this("The connection could not be established.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public TransportConnectException(string message)
        : base(message)
    {
        Endpoint = new IPEndPoint(IPAddress.Any, 0);
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TransportConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = new IPEndPoint(IPAddress.Any, 0);
    }

    /// <summary>Creates an exception for a failed connect.</summary>
    /// <param name="endpoint">The remote endpoint.</param>
    /// <param name="reason">Why the connect failed.</param>
    /// <param name="socketError">The operating system's error code, or <see cref="SocketError.Success"/> when there was none.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public TransportConnectException(IPEndPoint endpoint, ConnectFailureReason reason, SocketError socketError, Exception? innerException = null)
        : base(FormatMessage(endpoint, reason, socketError), innerException)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Reason = reason;
        SocketError = socketError;
    }

    /// <summary>The remote endpoint that could not be reached.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Why the connect failed.</summary>
    public ConnectFailureReason Reason { get; }

    /// <summary>The operating system's error code (<see cref="SocketError.ConnectionRefused"/>, …), or
    /// <see cref="SocketError.Success"/> when the failure did not come from a socket (timeouts, in-memory networks report the equivalent code).</summary>
    public SocketError SocketError { get; }

    internal static TransportConnectException FromSocketException(IPEndPoint endpoint, SocketException exception)
    {
        ConnectFailureReason reason = exception.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => ConnectFailureReason.Refused,
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown
                => ConnectFailureReason.Unreachable,
            SocketError.TimedOut => ConnectFailureReason.TimedOut,
            // The server accepted and reset before this side saw the connect complete (issue 17 item 5).
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.NotConnected => ConnectFailureReason.Reset,
            _ => ConnectFailureReason.Other,
        };
        return new TransportConnectException(endpoint, reason, exception.SocketErrorCode, exception);
    }

    private static string FormatMessage(IPEndPoint? endpoint, ConnectFailureReason reason, SocketError error) => reason switch
    {
        ConnectFailureReason.Refused => $"TCP {endpoint}: connection refused",
        ConnectFailureReason.Unreachable => $"TCP {endpoint}: host or network unreachable",
        ConnectFailureReason.TimedOut => $"TCP {endpoint}: connect timed out",
        ConnectFailureReason.Reset => $"TCP {endpoint}: connection reset by the peer",
        _ => $"TCP {endpoint}: connect failed ({error})",
    };
}
