using System.Net;
using NetBios.Transport;

namespace Nbt.Cli.Tracing;

/// <summary>A stream listener whose accepted connections are traced (<see cref="TracingStreamConnection"/>).</summary>
internal sealed class TracingStreamListener(IStreamListener inner, PacketTrace trace) : IStreamListener
{
    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    /// <inheritdoc/>
    public async ValueTask<IStreamConnection?> AcceptAsync(CancellationToken cancellationToken = default) =>
        await inner.AcceptAsync(cancellationToken).ConfigureAwait(false) is { } connection ? new TracingStreamConnection(connection, trace) : null;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
