namespace Nbt.Cli.Configuration;

/// <summary>
/// The network options shared by the commands that talk to other nodes, bound from the configuration keys
/// <c>interface</c>, <c>port</c>, <c>datagram-port</c>, <c>session-port</c>, <c>scope</c>, <c>node-type</c>,
/// <c>wins</c>, <c>lmhosts</c> and <c>refresh</c> (docs/CLI.md "Configuration"). A command that does not declare an
/// option keeps its default here. Checked by <see cref="NbtNetworkOptionsValidator"/>.
/// </summary>
internal sealed class NbtNetworkOptions
{
    /// <summary>Adapter: interface name, IPv4 address or CIDR; null picks the first non-loopback IPv4 address.</summary>
    public string? Interface { get; set; }

    /// <summary>Name service UDP port (RFC 1002 §4.2: 137).</summary>
    public int Port { get; set; } = 137;

    /// <summary>Datagram service UDP port (RFC 1002 §4.4: 138).</summary>
    public int DatagramPort { get; set; } = 138;

    /// <summary>Session service TCP port (RFC 1002 §4.3: 139).</summary>
    public int SessionPort { get; set; } = 139;

    /// <summary>NetBIOS scope ID (RFC 1001 §9), or null for none.</summary>
    public string? Scope { get; set; }

    /// <summary>Node type B, P, M or H (RFC 1001 §10, MS-NBTE §2.2.1); null: B, or H with a name server.</summary>
    public string? NodeType { get; set; }

    /// <summary>Name servers, IPv4[:port] each.</summary>
    public string[] Wins { get; set; } = [];

    /// <summary>An LMHOSTS file to consult, or null.</summary>
    public string? Lmhosts { get; set; }

    /// <summary>Refresh interval in seconds instead of TTL/2, or null.</summary>
    public int? Refresh { get; set; }
}
