using System.IO.Pipelines;
using System.Net;

namespace NetBios.Transport;

/// <summary>
/// One established, reliable byte-stream connection (TCP for the session service on port 139), exposed as a duplex
/// pipe in the style of Kestrel's <c>ConnectionContext</c>.
/// </summary>
/// <remarks>
/// <para>Lifecycle, as seen through <see cref="Transport"/>:</para>
/// <list type="bullet">
/// <item>The peer closing gracefully shows as a <see cref="ReadResult"/> with <see cref="ReadResult.IsCompleted"/> set;
/// once the peer stops reading, <see cref="PipeWriter.FlushAsync"/> may return <see cref="FlushResult.IsCompleted"/>.</item>
/// <item>The peer resetting the connection (TCP RST, <see cref="Abort"/> on the other side), or this side calling
/// <see cref="Abort"/>, makes pending and later reads and flushes throw <see cref="IOException"/>. That is the only
/// exception an engine's read or write loop needs to expect besides <see cref="OperationCanceledException"/>.</item>
/// <item><see cref="IAsyncDisposable.DisposeAsync"/> closes gracefully: buffered output is flushed, the peer sees end
/// of stream, and the input is completed. Call it after the read and write loops have ended (or after <see cref="Abort"/>).</item>
/// </list>
/// <para>Thread safety: one reader and one writer may use <see cref="Transport"/> concurrently (the pipe rules);
/// <see cref="Abort"/> and <see cref="IAsyncDisposable.DisposeAsync"/> may be called from any thread.</para>
/// </remarks>
public interface IStreamConnection : IAsyncDisposable
{
    /// <summary>The connection's bytes: read from <see cref="IDuplexPipe.Input"/>, write to <see cref="IDuplexPipe.Output"/>.</summary>
    IDuplexPipe Transport { get; }

    /// <summary>This side's address and port.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The peer's address and port.</summary>
    IPEndPoint RemoteEndPoint { get; }

    /// <summary>
    /// Tears the connection down at once, without flushing (a TCP reset): the peer's reads fail with
    /// <see cref="IOException"/>, and this side's pending and later reads and flushes fail with <see cref="IOException"/>.
    /// Use it for protocol violations and timeouts. Safe to call more than once and concurrently with I/O.
    /// </summary>
    void Abort();
}
