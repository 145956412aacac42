namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt node</c>'s own options, bound from the <c>"node"</c> section (or top-level keys, or the command line):
/// the names it registers (RFC 1001 §15.2), whether it keeps running with some of them, and the WINS server it may run.
/// </summary>
internal sealed class NbtNodeOptions
{
    /// <summary>Host names: each registers NAME&lt;00&gt;, &lt;03&gt; and &lt;20&gt;.</summary>
    public string[] Name { get; set; } = [];

    /// <summary>Workgroups: group names GROUP&lt;00&gt;.</summary>
    public string[] Group { get; set; } = [];

    /// <summary>Other unique names, NAME#xx.</summary>
    public string[] Add { get; set; } = [];

    /// <summary>Keep running when some names could not be registered.</summary>
    public bool AllowPartial { get; set; }

    /// <summary>Also run a WINS server.</summary>
    public bool WinsServer { get; set; }

    /// <summary>The WINS server's change hook program, or null.</summary>
    public string? WinsHook { get; set; }

    /// <summary>The least TTL the WINS server grants, in seconds, or null.</summary>
    public int? WinsMinTtl { get; set; }

    /// <summary>The greatest TTL the WINS server grants, in seconds, or null.</summary>
    public int? WinsMaxTtl { get; set; }

    /// <summary>The WINS server's SQLite file, or null.</summary>
    public string? Database { get; set; }

    /// <summary>The WINS server's PostgreSQL database, or null.</summary>
    public string? DatabaseUrl { get; set; }
}
