namespace NetBios.Transport;

/// <summary>
/// A datagram transport that a dedicated receive thread can read with blocking receives (no epoll wake-up and thread
/// pool hop per datagram), several datagrams per system call, and whose sends from that thread can be batched:
/// <see cref="UdpDatagramTransport"/> on 64-bit Linux (recvmmsg/sendmmsg). <see cref="DatagramReceiveLoop.StartThread"/>
/// runs such a loop; other transports (the in-memory network) keep the asynchronous loop.
/// </summary>
/// <remarks>While a receive thread runs, nothing else may receive from the transport (sending is fine, from any thread).</remarks>
internal interface IReceiveThreadTransport
{
    /// <summary>Whether <see cref="ReceiveBlocking"/> works here (false off 64-bit Linux).</summary>
    bool SupportsReceiveThread { get; }

    /// <summary>Waits (blocking the calling thread) for the next datagram and takes it and those already queued behind
    /// it, up to the batch's capacity, into <paramref name="batch"/> (<see cref="UdpMessageBatch.Count"/> entries;
    /// skip those without <see cref="UdpMessageBatch.HasDatagram"/>). Datagrams longer than a slot are truncated.</summary>
    /// <param name="batch">Where the datagrams go: one batch per receive thread.</param>
    /// <returns><see cref="BlockingReceiveStatus.Datagram"/> with at least one datagram; <see cref="BlockingReceiveStatus.Woken"/>
    /// when the wait ended without one (a wake-up, the periodic timeout; check for stopping and call again);
    /// <see cref="BlockingReceiveStatus.Closed"/> when the transport is disposed.</returns>
    BlockingReceiveStatus ReceiveBlocking(UdpMessageBatch batch);

    /// <summary>Sends made on the calling thread from now on are queued, to leave together (one system call per batch)
    /// at <see cref="FlushSendBatch"/> or <see cref="EndSendBatch"/>, in the order they were made. Sends from other
    /// threads go at once as always.</summary>
    void BeginSendBatch();

    /// <summary>Sends what the calling thread queued; the batch stays open.</summary>
    void FlushSendBatch();

    /// <summary>Sends what the calling thread queued and ends the batch.</summary>
    void EndSendBatch();

    /// <summary>Makes a <see cref="ReceiveBlocking"/> in progress return soon (a stopping receive thread calls it).</summary>
    void WakeReceiver();
}
