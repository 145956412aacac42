namespace NetBios.Transport;

/// <summary>
/// A datagram transport that a dedicated receive thread can read with blocking receives (no epoll wake-up and thread
/// pool hop per datagram): <see cref="UdpDatagramTransport"/> on 64-bit Linux. <see cref="DatagramReceiveLoop.StartThread"/>
/// runs such a loop; other transports (the in-memory network) keep the asynchronous loop.
/// </summary>
/// <remarks>While a receive thread runs, nothing else may receive from the transport (sending is fine, from any thread).</remarks>
internal interface IReceiveThreadTransport
{
    /// <summary>Whether <see cref="ReceiveBlocking"/> works here (false off 64-bit Linux).</summary>
    bool SupportsReceiveThread { get; }

    /// <summary>Waits (blocking the calling thread) for the next datagram and copies it into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Where the datagram goes; longer datagrams are truncated.</param>
    /// <param name="result">Length, sender and the local address it was sent to.</param>
    /// <returns><see cref="BlockingReceiveStatus.Datagram"/> with a datagram; <see cref="BlockingReceiveStatus.Woken"/>
    /// when the wait ended without one (a wake-up, the periodic timeout; check for stopping and call again);
    /// <see cref="BlockingReceiveStatus.Closed"/> when the transport is disposed.</returns>
    BlockingReceiveStatus ReceiveBlocking(Span<byte> buffer, out DatagramReceiveResult result);

    /// <summary>Makes a <see cref="ReceiveBlocking"/> in progress return soon (a stopping receive thread calls it).</summary>
    void WakeReceiver();
}
