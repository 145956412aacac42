using System.Net;

namespace NetBios.Transport;

/// <summary>
/// A datagram endpoint the name and datagram services run over: a UDP socket (<see cref="UdpDatagramTransport"/>)
/// or a host on an <see cref="InMemoryNetwork"/>.
/// </summary>
/// <remarks>
/// Contract for engines: <see cref="ReceiveFromAsync"/> never throws for conditions caused by one peer (ICMP port
/// unreachable, a datagram larger than the buffer is truncated); it ends only with cancellation
/// (<see cref="OperationCanceledException"/>) or disposal (<see cref="ObjectDisposedException"/>).
/// <see cref="SendToAsync"/> does not throw for unreachable peers either: UDP gives no delivery guarantee.
/// One receiver at a time; sends may be concurrent.
/// </remarks>
public interface IDatagramTransport : IAsyncDisposable
{
    /// <summary>The bound local endpoint.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends one datagram.</summary>
    ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default);

    /// <summary>Receives the next datagram into <paramref name="buffer"/> (truncated if longer).</summary>
    ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}
