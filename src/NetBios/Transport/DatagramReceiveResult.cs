using System.Net;

namespace NetBios.Transport;

/// <summary>The outcome of <see cref="IDatagramTransport.ReceiveFromAsync"/>: how many bytes were copied, and from whom.</summary>
/// <param name="Length">The number of bytes copied into the caller's buffer: 0 for an empty datagram, and at most the
/// buffer's length (longer datagrams are truncated).</param>
/// <param name="RemoteEndPoint">The sender's address and port. Transports may hand out the same instance for
/// consecutive datagrams from one peer, so treat it as read-only.</param>
public readonly record struct DatagramReceiveResult(int Length, IPEndPoint RemoteEndPoint);
