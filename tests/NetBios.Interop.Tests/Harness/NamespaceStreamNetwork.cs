using System.Net;
using NetBios.Transport;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// An <see cref="IStreamNetwork"/> whose sockets live in a network namespace: every listen and connect starts inside
/// <see cref="NetworkNamespace.Enter{T}(Func{T}, TimeSpan?)"/> (the socket is created and bound or connected there),
/// so an in-process engine can talk to daemons inside the namespace from any thread, retargets included.
/// </summary>
public sealed class NamespaceStreamNetwork(NetworkNamespace ns, IStreamNetwork inner) : IStreamNetwork
{
    /// <inheritdoc/>
    public async ValueTask<IStreamListener> ListenAsync(IPEndPoint localEndPoint, CancellationToken cancellationToken = default) =>
        await ns.Enter(() => inner.ListenAsync(localEndPoint, cancellationToken).AsTask());

    /// <inheritdoc/>
    public async ValueTask<IStreamConnection> ConnectAsync(IPEndPoint remoteEndPoint, CancellationToken cancellationToken = default) =>
        await ns.Enter(() => inner.ConnectAsync(remoteEndPoint, cancellationToken).AsTask());
}
