namespace Nbt.Cli.Configuration;

/// <summary>
/// What every command prints, bound from the keys <c>json</c>, <c>verbose</c>, <c>trace</c> and <c>log-level</c>
/// (docs/CLI.md "Output and verbosity"). Checked by <see cref="NbtOutputOptionsValidator"/>.
/// </summary>
internal sealed class NbtOutputOptions
{
    /// <summary>JSON on stdout instead of tables.</summary>
    public bool Json { get; set; }

    /// <summary><c>-v</c>: progress and info logs on stderr.</summary>
    public bool Verbose { get; set; }

    /// <summary><c>-vv</c>: debug logs and the packet trace on stderr.</summary>
    public bool Trace { get; set; }

    /// <summary>The library's least log level (trace … none), or null for the level of <c>-v</c>/<c>-vv</c>.</summary>
    public string? LogLevel { get; set; }

    /// <summary>0 results only, 1 <c>-v</c>, 2 <c>-vv</c>.</summary>
    public int Verbosity => Trace ? 2 : Verbose ? 1 : 0;
}
