namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt listen</c>'s own options, bound from the <c>"listen"</c> section (or top-level keys, or the command line):
/// <c>group</c>, <c>broadcast</c>, <c>hex</c>, <c>count</c>, <c>timeout</c>. Checked by <see cref="NbtListenOptionsValidator"/>.
/// </summary>
internal sealed class NbtListenOptions
{
    /// <summary>The name is a group name, joined rather than owned (RFC 1001 §15.2.2).</summary>
    public bool Group { get; set; }

    /// <summary>Also print BROADCAST datagrams (RFC 1002 §4.4.1).</summary>
    public bool Broadcast { get; set; }

    /// <summary>Print payloads as hex.</summary>
    public bool Hex { get; set; }

    /// <summary>Stop after this many datagrams, or null to run until stopped.</summary>
    public int? Count { get; set; }

    /// <summary>Stop after this many seconds, or null to run until stopped.</summary>
    public int? Timeout { get; set; }
}
