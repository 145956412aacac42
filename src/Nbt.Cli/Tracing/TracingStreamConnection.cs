using System.IO.Pipelines;
using System.Net;
using NetBios.Transport;

namespace Nbt.Cli.Tracing;

/// <summary>
/// A session service connection whose frames, both ways, go to the <see cref="PacketTrace"/> (<c>-vv</c>): the
/// duplex pipe is wrapped, the bytes are not copied. It does not offer the transport's direct reads, so the session
/// layer reads everything through the traced pipe.
/// </summary>
internal sealed class TracingStreamConnection : IStreamConnection
{
    private readonly IStreamConnection _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public TracingStreamConnection(IStreamConnection inner, PacketTrace trace)
    {
        _inner = inner;
        var local = inner.LocalEndPoint;
        var remote = inner.RemoteEndPoint;
        Transport = new DuplexPipe(
            new TracingPipeReader(inner.Transport.Input, new NbssTraceFollower(trace, remote, local)),
            new TracingPipeWriter(inner.Transport.Output, new NbssTraceFollower(trace, local, remote)));
    }

    /// <inheritdoc/>
    public IDuplexPipe Transport { get; }

    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint => _inner.LocalEndPoint;

    /// <inheritdoc/>
    public IPEndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    /// <inheritdoc/>
    public void Abort() => _inner.Abort();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
