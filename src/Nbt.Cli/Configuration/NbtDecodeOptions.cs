namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt decode</c>'s own options, bound from the <c>"decode"</c> section (or top-level keys, or the command line):
/// <c>protocol</c> (the decoder of hex input), <c>nbns-port</c>, <c>nbds-port</c>, <c>nbss-port</c> (the ports a
/// capture is decoded by, RFC 1002 §4: UDP 137, UDP 138, TCP 139). Checked by <see cref="NbtDecodeOptionsValidator"/>.
/// </summary>
internal sealed class NbtDecodeOptions
{
    /// <summary>nbns, nbds or nbss, or null to try each in turn.</summary>
    public string? Protocol { get; set; }

    /// <summary>The UDP port decoded as NBNS.</summary>
    public int NbnsPort { get; set; } = 137;

    /// <summary>The UDP port decoded as NBDS.</summary>
    public int NbdsPort { get; set; } = 138;

    /// <summary>The TCP port decoded as NBSS.</summary>
    public int NbssPort { get; set; } = 139;
}
