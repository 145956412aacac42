namespace NetBios.NameService;

/// <summary>The seam "resolve a name": what the datagram and session engines use to find other nodes.</summary>
public interface INameResolver
{
    /// <summary>Resolves a name (scope applied) as the station is configured to (own names, cache, LMHOSTS, name
    /// server, broadcast, DNS).</summary>
    /// <param name="name">The name.</param>
    /// <param name="options">Overrides for one query; <see langword="null"/> for the configured behaviour.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The answers, or why there are none.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<NameQueryResult> QueryAsync(NetBiosName name, NameQueryOptions? options = null, CancellationToken cancellationToken = default);
}
