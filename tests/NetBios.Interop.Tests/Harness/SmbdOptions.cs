using System.Net;

namespace NetBios.Interop.Tests.Harness;

/// <summary>How to run smbd (see <see cref="SmbdProcess"/>).</summary>
public sealed record SmbdOptions
{
    /// <summary>smbd's NetBIOS name (it accepts ANY called name anyway, docs/INTEROP.md §2).</summary>
    public string NetbiosName { get; init; } = "PEERSMB";

    /// <summary>Workgroup.</summary>
    public string Workgroup { get; init; } = "PEERTEST";

    /// <summary>Samba <c>interfaces =</c>.</summary>
    public string Interfaces { get; init; } = "127.0.0.1/8";

    /// <summary>Address to reach smbd at (readiness check / helpers); default 127.0.0.1.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary><c>smb ports</c>; default 139 only (no 445).</summary>
    public IReadOnlyList<int> Ports { get; init; } = [139];

    /// <summary><c>server min protocol</c>; NT1 so SMB1 negotiate over NBSS works too.</summary>
    public string ServerMinProtocol { get; init; } = "NT1";

    /// <summary>smbd -d level (2 logs every NBSS session request, 10 full packet dumps).</summary>
    public int LogLevel { get; init; } = 1;

    /// <summary>
    /// <c>netbios retarget:NAME = ip[:port][#type]</c> lines: a SESSION REQUEST for called NAME gets 0x84
    /// RETARGET (only for connections that arrived on port 139).
    /// </summary>
    public IReadOnlyDictionary<string, string> Retargets { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra <c>key = value</c> lines for [global].</summary>
    public IReadOnlyList<string> ExtraLines { get; init; } = [];

    /// <summary>Bound for "every port is listening" after start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
