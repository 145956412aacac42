namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt register</c>'s options, bound from the <c>"register"</c> section (or top-level keys, or the command line):
/// <c>group</c> (a group name registration, RFC 1002 §4.2.2 with G set) and <c>lana</c> (the daemon's station).
/// </summary>
internal sealed class NbtRegisterOptions : NbtLanaOptions
{
    /// <summary>Register a group name.</summary>
    public bool Group { get; set; }
}
