namespace Nbt.Cli.Configuration;

/// <summary>
/// <c>nbt cache</c>'s options, bound from the <c>"cache"</c> section (or top-level keys, or the command line):
/// <c>lana</c> and <c>purge</c> (nbtstat <c>-R</c>: empty the name cache, RFC 1001 §15.1.3, and reload LMHOSTS #PRE).
/// </summary>
internal sealed class NbtCacheOptions : NbtLanaOptions
{
    /// <summary>Empty the cache and reload the LMHOSTS #PRE entries.</summary>
    public bool Purge { get; set; }
}
