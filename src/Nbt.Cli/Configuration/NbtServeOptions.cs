namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt serve</c>'s own options, bound from the <c>"serve"</c> section (or top-level keys, or the command line):
/// <c>binary</c> and <c>from</c>, the only calling name accepted (RFC 1002 §4.3.4: others get NEGATIVE SESSION RESPONSE). The name is
/// checked where the scope is known.
/// </summary>
internal sealed class NbtServeOptions : NbtSessionPumpOptions
{
    /// <summary>Accept only this caller, NAME[#xx], or null for anyone.</summary>
    public string? From { get; set; }
}
