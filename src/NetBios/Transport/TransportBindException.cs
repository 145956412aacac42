using System.Net;

namespace NetBios.Transport;

/// <summary>A transport could not bind; the message is one line a person can act on.</summary>
public sealed class TransportBindException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransportBindException(string protocol, IPEndPoint endPoint, TransportBindReason reason, Exception? inner = null)
        : base(Describe(protocol, endPoint, reason, inner), inner)
    {
        EndPoint = endPoint;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TransportBindException()
        : this("UDP", new IPEndPoint(IPAddress.Any, 0), TransportBindReason.Other)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TransportBindException(string message)
        : base(message)
    {
        EndPoint = new IPEndPoint(IPAddress.Any, 0);
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TransportBindException(string message, Exception innerException)
        : base(message, innerException)
    {
        EndPoint = new IPEndPoint(IPAddress.Any, 0);
    }

    /// <summary>The endpoint that could not be bound.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Why.</summary>
    public TransportBindReason Reason { get; }

    private static string Describe(string protocol, IPEndPoint endPoint, TransportBindReason reason, Exception? inner) => reason switch
    {
        TransportBindReason.AddressInUse => $"{protocol} {endPoint} is in use",
        TransportBindReason.AccessDenied => $"binding {protocol} port {endPoint.Port} needs root or CAP_NET_BIND_SERVICE",
        TransportBindReason.AddressNotAvailable => $"{endPoint.Address} is not an address of this host",
        _ => $"cannot bind {protocol} {endPoint}: {inner?.Message}",
    };
}
