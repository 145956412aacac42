using NetBios.Daemon;

namespace Nbtd.Configuration;

/// <summary>
/// nbtd's whole configuration, read and checked once at start by <see cref="NbtdOptionsReader"/> (the keys and their
/// defaults are documented in docs/NBTD.md). The <c>Logging</c> section goes to the logging builder as it is.
/// </summary>
internal sealed class NbtdOptions
{
    /// <summary>The stations, one per LANA. Defaults to one B-node station, LANA 0, on the first non-loopback IPv4 interface.</summary>
    public IReadOnlyList<StationSettings> Stations { get; init; } = [new StationSettings()];

    /// <summary>The WINS server. Defaults to none.</summary>
    public WinsServerSettings WinsServer { get; init; } = new();

    /// <summary>Serve local programs over the Unix socket (<c>Ipc:Enabled</c>). Defaults to true.</summary>
    public bool IpcEnabled { get; init; } = true;

    /// <summary>The local IPC server's socket, access policy and limits (the <c>Ipc</c> section; docs/IPC.md).</summary>
    public NetBiosDaemonServerOptions Ipc { get; init; } = new();

    /// <summary>The default of <see cref="HeldNamesFile"/>: beside the WINS database, in the state directory.</summary>
    public const string DefaultHeldNamesFile = "/var/lib/nbt/held-names";

    /// <summary>The value of <c>HeldNamesFile</c> that keeps held names in memory only.</summary>
    public const string NoHeldNamesFile = "none";

    /// <summary>Where the names held for <c>nbt register</c> are kept so that they survive a restart (<c>HeldNamesFile</c>;
    /// docs/NBTD.md "Held names"); null (<c>none</c>) keeps them in memory only. Defaults to /var/lib/nbt/held-names.</summary>
    public string? HeldNamesFile { get; init; } = DefaultHeldNamesFile;

    /// <summary>How long stopping may take to release the names (<c>ShutdownTimeout</c>, seconds). Defaults to 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
