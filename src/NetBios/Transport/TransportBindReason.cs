namespace NetBios.Transport;

/// <summary>Why a transport could not bind its port.</summary>
public enum TransportBindReason
{
    /// <summary>Another socket holds the port.</summary>
    AddressInUse,

    /// <summary>A port below 1024 needs root or CAP_NET_BIND_SERVICE.</summary>
    AccessDenied,

    /// <summary>The address is not one of this host's.</summary>
    AddressNotAvailable,

    /// <summary>Anything else.</summary>
    Other,
}
