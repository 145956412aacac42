using System.Net;

namespace NetBios.Transport;

/// <summary>A bound, listening stream endpoint (TCP 139 for the session service); Kestrel <c>IConnectionListener</c> style.</summary>
/// <remarks>Thread safety: <see cref="AcceptAsync"/> may be called by several accept loops concurrently;
/// <see cref="IAsyncDisposable.DisposeAsync"/> may be called from any thread.</remarks>
public interface IStreamListener : IAsyncDisposable
{
    /// <summary>The local address and port being listened on (never port 0).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Waits for the next incoming connection.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connection, or <see langword="null"/> once the listener has been disposed (before or during the
    /// wait), so that an accept loop ends quietly: <c>while (await l.AcceptAsync(ct) is { } c) { … }</c>.</returns>
    /// <remarks>Errors caused by one incoming connection (it was reset before it could be accepted) are skipped.</remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<IStreamConnection?> AcceptAsync(CancellationToken cancellationToken = default);
}
