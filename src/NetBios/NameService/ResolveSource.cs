namespace NetBios.NameService;

/// <summary>Where a name resolution answer came from; also the elements of a resolve order.</summary>
public enum ResolveSource : byte
{
    /// <summary>The local name cache (answers remembered with their wire TTL).</summary>
    Cache,

    /// <summary>An LMHOSTS file entry.</summary>
    Lmhosts,

    /// <summary>A unicast query to a NetBIOS name server (NBNS / WINS).</summary>
    NameServer,

    /// <summary>A broadcast query on the local segment.</summary>
    Broadcast,

    /// <summary>The host's DNS resolver (the NetBIOS name without its suffix, as Windows falls back).</summary>
    Dns,

    /// <summary>The name is one of this node's own registered names.</summary>
    Local,
}
