using System.Net;
using NetBios.Transport;

namespace NetBios.Testing;

/// <summary>
/// A simulated machine on an <see cref="InMemoryNetwork"/>, with one or more IPv4 addresses (possibly on several
/// segments). It is also the <see cref="IStreamNetwork"/> that a session engine running "on" this machine should be
/// given: connections it makes come from its own addresses.
/// </summary>
/// <remarks>Thread safety: all members are safe to call concurrently.</remarks>
public sealed class InMemoryHost : INetworkHost
{
    private readonly InMemoryNetwork _network;
    private volatile bool _unplugged;

    internal InMemoryHost(InMemoryNetwork network, IPAddress[] addresses)
    {
        _network = network;
        Addresses = addresses;
    }

    /// <summary>The host's addresses; the first is its primary address.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>
    /// Whether the host's cable is pulled: while <see langword="true"/>, nothing it sends leaves it, nothing reaches it
    /// (including delayed datagrams that arrive meanwhile), and connecting to it times out. Bound transports and open
    /// connections stay as they are. Defaults to <see langword="false"/>.
    /// </summary>
    public bool IsUnplugged
    {
        get => _unplugged;
        set => _unplugged = value;
    }

    // Bindings, keyed by (address bits, port) with address 0 for a wildcard binding; guarded by the network's lock.
    internal Dictionary<(uint Address, int Port), InMemoryDatagramTransport> DatagramBindings { get; } = [];

    internal Dictionary<(uint Address, int Port), InMemoryStreamListener> StreamListeners { get; } = [];

    internal int NextEphemeralPort { get; set; } = 49152;

    /// <summary>Binds a datagram transport on all of this host's addresses (0.0.0.0).</summary>
    /// <param name="port">The port, or 0 for an ephemeral port.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0..65535.</exception>
    /// <exception cref="TransportBindException">The port is already bound on this host.</exception>
    public InMemoryDatagramTransport CreateDatagramTransport(int port) =>
        _network.BindDatagram(this, IPAddress.Any, port);

    /// <inheritdoc/>
    /// <remarks>The same as <see cref="CreateDatagramTransport(int)"/>: in memory, broadcasts always reach a host.</remarks>
    IDatagramTransport INetworkHost.BindDatagram(int port) => CreateDatagramTransport(port);

    /// <inheritdoc/>
    /// <remarks>The address may be 0.0.0.0 (all of this host's addresses) or one of <see cref="Addresses"/>.</remarks>
    public ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IStreamListener>(_network.Listen(this, localEndPoint));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Completes at once: refused when nothing listens on the port, unreachable when the address is unknown or on no
    /// segment this host shares, timed out when the remote host is unplugged or this host is.
    /// </remarks>
    public ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IStreamConnection>(_network.Connect(this, remoteEndPoint));
    }

    /// <summary>The host's addresses, for example <c>host 192.168.1.5, 10.0.0.5</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "host " + string.Join(", ", Addresses);
}
