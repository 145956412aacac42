namespace NetBios.Transport;

/// <summary>
/// One machine's view of a network: the UDP ports and stream connections a station needs. Implemented over real
/// sockets by <see cref="SocketNetworkHost"/> and, for tests, by <c>InMemoryHost</c> (NetBios.Testing).
/// </summary>
public interface INetworkHost : IStreamNetwork
{
    /// <summary>Binds a datagram transport on all of the host's addresses, with broadcasts enabled (a station must
    /// receive the broadcasts of its subnet).</summary>
    /// <param name="port">The port, or 0 for an ephemeral one.</param>
    /// <returns>The bound transport; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0..65535.</exception>
    /// <exception cref="TransportBindException">The port is in use or needs privileges.</exception>
    IDatagramTransport BindDatagram(int port);
}
