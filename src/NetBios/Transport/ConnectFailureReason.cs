namespace NetBios.Transport;

/// <summary>Why a stream connection could not be established; carried by <see cref="TransportConnectException"/>.</summary>
public enum ConnectFailureReason
{
    /// <summary>Any other failure; see <see cref="Exception.InnerException"/>.</summary>
    Other = 0,

    /// <summary>The host answered but nothing listens on the port (TCP RST, ECONNREFUSED).</summary>
    Refused,

    /// <summary>No route to the host or its network (EHOSTUNREACH / ENETUNREACH), or the host is down.</summary>
    Unreachable,

    /// <summary>The host did not answer within the connect timeout.</summary>
    TimedOut,

    /// <summary>The connection was established, then reset by the peer before it could be set up (an accept-and-reset server).</summary>
    Reset,
}
