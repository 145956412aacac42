namespace Nbt.Cli;

/// <summary>The documented exit codes of <c>nbt</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Not found, or a negative answer (conflict, refused, negative session response).</summary>
    public const int NotFound = 1;

    /// <summary>Bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>A network or bind error (port in use, permission, unreachable host).</summary>
    public const int Network = 3;
}
