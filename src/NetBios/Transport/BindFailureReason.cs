namespace NetBios.Transport;

/// <summary>Why a transport could not bind its local endpoint; carried by <see cref="TransportBindException"/>.</summary>
public enum BindFailureReason
{
    /// <summary>Any other failure; see <see cref="Exception.InnerException"/>.</summary>
    Other = 0,

    /// <summary>Another socket already owns the address and port (EADDRINUSE / WSAEADDRINUSE).</summary>
    AddressInUse,

    /// <summary>The process may not bind this port: ports below 1024 need root or CAP_NET_BIND_SERVICE on Linux (EACCES).</summary>
    AccessDenied,

    /// <summary>The address is not assigned to any local interface (EADDRNOTAVAIL).</summary>
    AddressNotAvailable,
}
