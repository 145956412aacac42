using System.Net;

namespace NetBios.Transport;

/// <summary>The outcome of <see cref="IDatagramTransport.ReceiveFromAsync"/>: how many bytes were copied, from whom, and
/// to which local address.</summary>
/// <param name="Length">The number of bytes copied into the caller's buffer: 0 for an empty datagram, and at most the
/// buffer's length (longer datagrams are truncated).</param>
/// <param name="RemoteEndPoint">The sender's address and port. Transports may hand out the same instance for
/// consecutive datagrams from one peer, so treat it as read-only.</param>
/// <param name="LocalAddress">The local address the datagram was sent to (for a broadcast: the address of the
/// interface it arrived on), when the transport knows it (<see cref="UdpDatagramTransport"/> on Linux, from
/// IP_PKTINFO); <see langword="null"/> otherwise. An answer sent with
/// <see cref="IDatagramTransport.SendToAsync(ReadOnlyMemory{byte}, IPEndPoint, IPAddress?, CancellationToken)"/> from
/// this address leaves from the address its request was sent to, also on a multi-homed host. Shared like
/// <paramref name="RemoteEndPoint"/>.</param>
public readonly record struct DatagramReceiveResult(int Length, IPEndPoint RemoteEndPoint, IPAddress? LocalAddress = null);
