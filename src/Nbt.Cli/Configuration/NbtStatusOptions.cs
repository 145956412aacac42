namespace Nbt.Cli.Configuration;

/// <summary><c>nbt status</c>'s own option, bound from the <c>"status"</c> section: <c>format</c>, nbt or nbtstat.</summary>
internal sealed class NbtStatusOptions
{
    /// <summary>Table layout of the node status (RFC 1002 §4.2.18): <c>nbt</c> or <c>nbtstat</c>.</summary>
    public string Format { get; set; } = "nbt";
}
