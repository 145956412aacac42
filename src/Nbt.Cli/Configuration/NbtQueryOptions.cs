namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt query</c>'s own options, bound from the <c>"query"</c> section (or top-level keys, or the command line):
/// <c>broadcast</c>, <c>unicast</c>, <c>server</c>, <c>timeout</c>, <c>source-port-137</c>, <c>master-browser</c>,
/// <c>reverse</c>. Checked by <see cref="NbtQueryOptionsValidator"/>.
/// </summary>
internal sealed class NbtQueryOptions
{
    /// <summary>Broadcast address to query (RFC 1001 §15.1.1), or null.</summary>
    public string? Broadcast { get; set; }

    /// <summary>A node asked directly about its own names (RFC 1002 §4.2.12, RD clear), or null.</summary>
    public string? Unicast { get; set; }

    /// <summary>The only name server asked (RD set), or null.</summary>
    public string? Server { get; set; }

    /// <summary>Seconds to wait for each name's answers, or null for the defaults.</summary>
    public double? Timeout { get; set; }

    /// <summary>Send from the name service port (nmblookup <c>-r</c>).</summary>
    public bool SourcePort137 { get; set; }

    /// <summary>Ask for NAME&lt;1D&gt; (nmblookup <c>-M</c>).</summary>
    public bool MasterBrowser { get; set; }

    /// <summary>Reverse-resolve each answer in DNS (nmblookup <c>-T</c>).</summary>
    public bool Reverse { get; set; }
}
