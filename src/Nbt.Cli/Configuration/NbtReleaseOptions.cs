namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt release</c>'s options, bound from the <c>"release"</c> section (or top-level keys, or the command line):
/// <c>group</c>, <c>force</c> (release a name not held here, RFC 1002 §4.2.9) and <c>lana</c> (the daemon's station).
/// </summary>
internal sealed class NbtReleaseOptions : NbtLanaOptions
{
    /// <summary>The name is a group name.</summary>
    public bool Group { get; set; }

    /// <summary>Release even a name not held here.</summary>
    public bool Force { get; set; }
}
