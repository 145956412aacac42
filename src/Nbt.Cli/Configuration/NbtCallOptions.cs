namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt call</c>'s own options, bound from the <c>"call"</c> section (or top-level keys, or the command line):
/// <c>from</c> (the calling name of the SESSION REQUEST, RFC 1002 §4.3.2), <c>address</c>, <c>binary</c>. Checked by
/// <see cref="NbtCallOptionsValidator"/>.
/// </summary>
internal sealed class NbtCallOptions : NbtSessionPumpOptions
{
    /// <summary>The calling name, NAME[#xx], or null for NBT&lt;PID&gt; (through nbtd: the station's host name).</summary>
    public string? From { get; set; }

    /// <summary>Call this IPv4 address[:port] instead of resolving the name, or null.</summary>
    public string? Address { get; set; }
}
