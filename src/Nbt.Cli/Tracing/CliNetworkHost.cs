using System.Net;
using Nbt.Cli.Capture;
using NetBios.Transport;

namespace Nbt.Cli.Tracing;

/// <summary>
/// The network host the tool hands a station: the real sockets, with two things only the tool wants. With a
/// <see cref="PacketTrace"/> (<c>-vv</c>) every datagram and every session service frame is traced; with <see cref="NameSourcePort"/> (<c>nbt query
/// --source-port-137</c>, nmblookup's <c>-r</c>) a client's name service socket is bound to that port instead of an
/// ephemeral one, for peers (Windows 95, some firewalls) that answer only to port 137.
/// </summary>
/// <remarks>A station binds its name service socket first and its datagram service socket second
/// (<c>NetBiosStation.BindAsync</c>): the host tells them apart by that order.</remarks>
internal sealed class CliNetworkHost(INetworkHost inner, PacketTrace? trace, IPAddress localAddress) : INetworkHost
{
    private int _bound;

    /// <summary>The port for the name service socket of a client station (0: ephemeral, as the station asks).</summary>
    public int NameSourcePort { get; init; }

    /// <inheritdoc/>
    public IDatagramTransport BindDatagram(int port)
    {
        bool nameService = Interlocked.Increment(ref _bound) == 1;
        if (nameService && port == 0 && NameSourcePort != 0)
        {
            port = NameSourcePort;
        }

        var transport = inner.BindDatagram(port);
        return trace is null ? transport : new TracingDatagramTransport(transport, nameService ? NbtProtocol.Nbns : NbtProtocol.Nbds, trace, localAddress);
    }

    /// <inheritdoc/>
    public async ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default)
    {
        var listener = await inner.ListenAsync(localEndPoint, cancellationToken).ConfigureAwait(false);
        return trace is null ? listener : new TracingStreamListener(listener, trace);
    }

    /// <inheritdoc/>
    public async ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        var connection = await inner.ConnectAsync(remoteEndPoint, cancellationToken).ConfigureAwait(false);
        return trace is null ? connection : new TracingStreamConnection(connection, trace);
    }
}
