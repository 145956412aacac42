using System.Net;

namespace NetBios.NameService;

/// <summary>Per-query overrides of the resolver's configured behaviour.</summary>
public sealed class NameQueryOptions
{
    /// <summary>The configured behaviour.</summary>
    public static NameQueryOptions Default { get; } = new();

    /// <summary>
    /// Ask exactly this endpoint and nothing else (no cache, no LMHOSTS): a broadcast address when
    /// <see cref="Broadcast"/> is set, otherwise a name server or node. Defaults to none.
    /// </summary>
    public IPEndPoint? Target { get; init; }

    /// <summary>Send the query to <see cref="Target"/> as a broadcast (B bit set). Defaults to false.</summary>
    public bool Broadcast { get; init; }

    /// <summary>RD bit for a unicast query to <see cref="Target"/>: set to ask a name server for its database, clear to ask a node about its own names. Defaults to true.</summary>
    public bool RecursionDesired { get; init; } = true;

    /// <summary>Use and fill the cache. Defaults to true.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>A resolve order for this query only. Defaults to the node's.</summary>
    public IReadOnlyList<ResolveSource>? Sources { get; init; }
}
