using System.Globalization;

namespace NetBios.Daemon;

/// <summary>Settings of <see cref="NetBiosDaemonServer"/> (docs/IPC.md "Limits", "Access").</summary>
public sealed class NetBiosDaemonServerOptions
{
    /// <summary>The Unix domain socket to listen on. Defaults to <see cref="NetBiosDaemon.DefaultSocketPath"/>. Its
    /// directory is created (mode 0755) when missing; a stale socket no daemon answers on is replaced.</summary>
    public string SocketPath { get; set; } = NetBiosDaemon.DefaultSocketPath;

    /// <summary>The socket file's mode, octal (e.g. "0660"): who may connect at all. Defaults to "0666".</summary>
    public string SocketMode { get; set; } = "0666";

    /// <summary>The socket file's group, a name from /etc/group or a numeric gid; null leaves the daemon's. Defaults to null.</summary>
    public string? SocketGroup { get; set; }

    /// <summary>What each client may do, by its peer credentials.</summary>
    public NetBiosDaemonAccessPolicy AccessPolicy { get; set; } = new();

    /// <summary>Most clients at once; more are answered ERROR TooManyClients and closed. Defaults to 1024.</summary>
    public int MaxClients { get; set; } = 1024;

    /// <summary>Most NCBs one client may have pending; more complete at once with NRC_TOOMANY (0x22). Defaults to 256.</summary>
    public int MaxPendingNcbsPerClient { get; set; } = 256;

    /// <summary>The largest message a client may send, header included; a longer length field ends the client.
    /// Defaults to 256 KiB; at least 131 326 bytes (one SUBMIT with two full 64 KiB buffers).</summary>
    public int MaxMessageLength { get; set; } = DaemonProtocol.DefaultMaxMessageLength;

    /// <summary>How long a new connection may take to send HELLO. Defaults to 5 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The shortest time between two log lines about misbehaving clients. Defaults to 10 seconds.</summary>
    public TimeSpan MisbehaviourLogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The socket mode as a number.</summary>
    internal UnixFileMode ParsedSocketMode => (UnixFileMode)Convert.ToInt32(SocketMode, 8);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the exception's ParamName names the property.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(SocketPath) || !Path.IsPathFullyQualified(SocketPath) || SocketPath.Length > 107)
        {
            throw new ArgumentException($"SocketPath must be an absolute path of at most 107 bytes, not '{SocketPath}'.", nameof(SocketPath));
        }

        if (!IsOctalMode(SocketMode))
        {
            throw new ArgumentException($"SocketMode must be an octal mode such as 0660, not '{SocketMode}'.", nameof(SocketMode));
        }

        if (SocketGroup is not null && SocketGroup.Trim().Length == 0)
        {
            throw new ArgumentException("SocketGroup must be a group name or gid, or null.", nameof(SocketGroup));
        }

        if (AccessPolicy is null)
        {
            throw new ArgumentException("AccessPolicy must be set.", nameof(AccessPolicy));
        }

        if (MaxClients is < 1 or > 65536)
        {
            throw new ArgumentException($"MaxClients must be 1-65536, not {MaxClients}.", nameof(MaxClients));
        }

        if (MaxPendingNcbsPerClient is < 1 or > 65536)
        {
            throw new ArgumentException($"MaxPendingNcbsPerClient must be 1-65536, not {MaxPendingNcbsPerClient}.", nameof(MaxPendingNcbsPerClient));
        }

        if (MaxMessageLength < DaemonProtocol.MinMaxMessageLength || MaxMessageLength > 16 * 1024 * 1024)
        {
            throw new ArgumentException(
                $"MaxMessageLength must be {DaemonProtocol.MinMaxMessageLength}-{16 * 1024 * 1024}, not {MaxMessageLength}.", nameof(MaxMessageLength));
        }

        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("HandshakeTimeout must be positive.", nameof(HandshakeTimeout));
        }

        if (MisbehaviourLogInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("MisbehaviourLogInterval must not be negative.", nameof(MisbehaviourLogInterval));
        }
    }

    private static bool IsOctalMode(string? mode) =>
        mode is { Length: >= 3 and <= 4 } && mode.All(c => c is >= '0' and <= '7')
        && int.Parse(mode, NumberStyles.None, CultureInfo.InvariantCulture) >= 0;
}
