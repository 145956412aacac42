namespace Nbt.Cli.Configuration;

/// <summary>
/// The option the commands that work through the NetBIOS daemon share, <c>lana</c> (the NCB's LANA number, 0-254;
/// 255 is the "every LANA" value of the administration protocol): <c>nbt names</c>, <c>sessions</c> and <c>stats</c>
/// bind it alone; <see cref="NbtCacheOptions"/>, <see cref="NbtRegisterOptions"/> and <see cref="NbtReleaseOptions"/>
/// add their own keys. Checked by <see cref="NbtLanaOptionsValidator"/>.
/// </summary>
internal class NbtLanaOptions
{
    /// <summary>Only the daemon's station on this LANA, or null for every one.</summary>
    public int? Lana { get; set; }
}
