namespace NetBios.Transport;

/// <summary>How <see cref="IReceiveThreadTransport.ReceiveBlocking"/> ended.</summary>
internal enum BlockingReceiveStatus
{
    /// <summary>A datagram was received.</summary>
    Datagram,

    /// <summary>The wait ended without a datagram (a wake-up or the periodic timeout).</summary>
    Woken,

    /// <summary>The transport was disposed.</summary>
    Closed,
}
