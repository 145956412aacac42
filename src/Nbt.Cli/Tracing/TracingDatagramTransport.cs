using System.Net;
using Nbt.Cli.Capture;
using NetBios.Transport;

namespace Nbt.Cli.Tracing;

/// <summary>A datagram transport that writes every datagram it sends and receives to the <see cref="PacketTrace"/>.</summary>
internal sealed class TracingDatagramTransport(IDatagramTransport inner, NbtProtocol protocol, PacketTrace trace, IPAddress localAddress) : IDatagramTransport
{
    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    /// <inheritdoc/>
    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        trace.Datagram(protocol, Local(), destination, datagram.Span);
        return inner.SendToAsync(datagram, destination, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await inner.ReceiveFromAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.Length > 0)
        {
            trace.Datagram(protocol, result.RemoteEndPoint, Local(), buffer.Span[..Math.Min(result.Length, buffer.Length)]);
        }

        return result;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    // The socket is bound to all addresses (0.0.0.0): the trace shows the adapter's address instead.
    private IPEndPoint Local() => new(inner.LocalEndPoint.Address.Equals(IPAddress.Any) ? localAddress : inner.LocalEndPoint.Address, inner.LocalEndPoint.Port);
}
