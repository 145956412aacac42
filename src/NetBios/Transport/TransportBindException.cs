using System.Net;
using System.Net.Sockets;

namespace NetBios.Transport;

/// <summary>
/// A transport could not bind its local endpoint: the port is in use, needs privileges, or the address is not local.
/// The message is one line meant for an operator, e.g. <c>UDP 127.0.0.1:137 is in use</c>.
/// </summary>
public sealed class TransportBindException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public TransportBindException()
        : this("The transport could not bind its local endpoint.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public TransportBindException(string message)
        : base(message)
    {
        Endpoint = new IPEndPoint(IPAddress.Any, 0);
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TransportBindException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = new IPEndPoint(IPAddress.Any, 0);
    }

    /// <summary>Creates an exception for a failed bind.</summary>
    /// <param name="protocol">"UDP" or "TCP", used in the message.</param>
    /// <param name="endpoint">The endpoint that could not be bound.</param>
    /// <param name="reason">Why.</param>
    /// <param name="innerException">The underlying socket error, if any.</param>
    public TransportBindException(string protocol, IPEndPoint endpoint, BindFailureReason reason, Exception? innerException = null)
        : base(FormatMessage(protocol, endpoint, reason, innerException), innerException)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Protocol = protocol;
        Endpoint = endpoint;
        Reason = reason;
    }

    /// <summary>"UDP" or "TCP"; empty when not known.</summary>
    public string Protocol { get; } = string.Empty;

    /// <summary>The local endpoint that could not be bound.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Why the bind failed.</summary>
    public BindFailureReason Reason { get; }

    /// <summary>The socket error reported by the operating system, or <see cref="System.Net.Sockets.SocketError.Success"/> when there was none.</summary>
    public SocketError SocketError => InnerException is SocketException se ? se.SocketErrorCode : SocketError.Success;

    internal static TransportBindException FromSocketException(string protocol, IPEndPoint endpoint, SocketException exception)
    {
        BindFailureReason reason = exception.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => BindFailureReason.AddressInUse,
            SocketError.AccessDenied => BindFailureReason.AccessDenied,
            SocketError.AddressNotAvailable => BindFailureReason.AddressNotAvailable,
            _ => BindFailureReason.Other,
        };
        return new TransportBindException(protocol, endpoint, reason, exception);
    }

    private static string FormatMessage(string protocol, IPEndPoint? endpoint, BindFailureReason reason, Exception? inner) => reason switch
    {
        BindFailureReason.AddressInUse => $"{protocol} {endpoint} is in use",
        BindFailureReason.AccessDenied => $"binding {protocol} port {endpoint?.Port} needs root or CAP_NET_BIND_SERVICE",
        BindFailureReason.AddressNotAvailable => $"{protocol} {endpoint}: {endpoint?.Address} is not a local address",
        _ => $"{protocol} {endpoint} could not be bound: {inner?.Message ?? "unknown error"}",
    };
}
