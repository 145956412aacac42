using System.Net;
using NetBios.Testing;
using NetBios.Transport;

namespace NetBios.Daemon.Tests;

/// <summary>
/// A benchmark station's network: names and datagrams on an in-memory segment (no UDP port 137 needed), sessions over
/// real loopback TCP (<see cref="TcpStreamNetwork"/>), so that a session's bytes pay the kernel's socket path as on a
/// real machine.
/// </summary>
internal sealed class LoopbackSessionsHost(InMemoryHost datagrams) : INetworkHost
{
    private readonly TcpStreamNetwork _streams = new();

    public IDatagramTransport BindDatagram(int port) => ((INetworkHost)datagrams).BindDatagram(port);

    public ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default) =>
        _streams.ListenAsync(localEndPoint, cancellationToken);

    public ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default) =>
        _streams.ConnectAsync(remoteEndPoint, cancellationToken);
}
