namespace Nbtd;

/// <summary>The documented exit codes of <c>nbtd</c> (as <c>nbt</c>'s).</summary>
internal static class NbtdExitCodes
{
    /// <summary>Stopped normally (SIGTERM, Ctrl-C, or the service manager).</summary>
    public const int Ok = 0;

    /// <summary>A bad configuration value, an unknown key or a missing configuration file.</summary>
    public const int Usage = 2;

    /// <summary>A port in use or needing privileges, no such interface, or a WINS database that cannot be opened.</summary>
    public const int Network = 3;
}
