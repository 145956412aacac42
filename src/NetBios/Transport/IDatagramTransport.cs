using System.Net;

namespace NetBios.Transport;

/// <summary>
/// A bound datagram endpoint: what the name service (UDP 137) and the datagram service (UDP 138) send and receive
/// through. Implemented over a real socket by <see cref="UdpDatagramTransport"/> and, for tests, by
/// <c>InMemoryDatagramTransport</c> on an <c>InMemoryNetwork</c> (NetBios.Testing).
/// </summary>
/// <remarks>
/// <para>
/// The contract is shaped for a protocol engine's receive loop: <see cref="ReceiveFromAsync"/> only ends through
/// cancellation or disposal, and <see cref="SendToAsync(ReadOnlyMemory{byte}, IPEndPoint, CancellationToken)"/> does not report per-peer failures (an unreachable or
/// refused peer looks exactly like a peer that did not answer, which the engine's retry timers already handle).
/// Exceptions are reserved for caller bugs and for the transport itself being unusable.
/// </para>
/// <para>
/// Thread safety: one send and one receive may run concurrently; implementations in this namespace also allow several
/// concurrent sends. <see cref="IAsyncDisposable.DisposeAsync"/> may be called from any thread, at any time, and more
/// than once.
/// </para>
/// </remarks>
public interface IDatagramTransport : IAsyncDisposable
{
    /// <summary>The local address and port this transport is bound to (never port 0 once bound).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends one datagram to <paramref name="destination"/> (unicast, subnet broadcast or 255.255.255.255).</summary>
    /// <param name="datagram">The payload; it is not retained after the returned task completes.</param>
    /// <param name="destination">The IPv4 destination address and port.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the datagram has been handed to the network.</returns>
    /// <remarks>
    /// Per-peer failures (ICMP unreachable, connection refused, no route to the host, a full send buffer) are logged
    /// at debug level and swallowed: the method returns normally and the datagram is lost, as it would be on the wire.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not an IPv4 address, or its port is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="datagram"/> is longer than a UDP datagram can be (65507 bytes).</exception>
    /// <exception cref="ObjectDisposedException">The transport has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default);

    /// <summary>Sends one datagram from a given local address: an answer from the address its request was sent to
    /// (<see cref="DatagramReceiveResult.LocalAddress"/>), so that a multi-homed host answers from the right address.</summary>
    /// <param name="datagram">The payload; it is not retained after the returned task completes.</param>
    /// <param name="destination">The IPv4 destination address and port.</param>
    /// <param name="source">The local source address, or <see langword="null"/> for the one the routing table picks.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the datagram has been handed to the network.</returns>
    /// <remarks>The default implementation ignores <paramref name="source"/> (a transport that cannot choose it sends as
    /// <see cref="SendToAsync(ReadOnlyMemory{byte}, IPEndPoint, CancellationToken)"/> does). <see cref="UdpDatagramTransport"/>
    /// on Linux sends with IP_PKTINFO; a source that is no longer a local address is ignored. Failures as for the
    /// other overload.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not an IPv4 address, or its port is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="datagram"/> is longer than a UDP datagram can be (65507 bytes).</exception>
    /// <exception cref="ObjectDisposedException">The transport has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, IPAddress? source, CancellationToken cancellationToken = default) =>
        SendToAsync(datagram, destination, cancellationToken);

    /// <summary>Waits for the next datagram and copies it into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Where the datagram is copied. A datagram longer than the buffer is <b>truncated</b> to the
    /// buffer's length (the rest is lost and <see cref="DatagramReceiveResult.Length"/> is the buffer's length); use a
    /// buffer of at least 576 bytes (RFC 1002 MAX_DATAGRAM_LENGTH) or 65507 bytes to never truncate.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The number of bytes copied (0 for an empty datagram) and the sender's endpoint.</returns>
    /// <remarks>
    /// Never fails because of what one peer did: connection-reset reports caused by ICMP port-unreachable messages,
    /// oversized datagrams and similar per-packet errors are skipped and the wait goes on. Only cancellation, disposal
    /// or a failure of the local socket itself end the wait.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The transport was disposed, before or during the wait. A receive loop
    /// should treat this as its normal end.</exception>
    ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}
