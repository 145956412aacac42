using System.Net;
using NetBios;
using NetBios.Wire.NameService;

namespace Nbtd.Configuration;

/// <summary>One entry of <c>Stations</c>: a NetBIOS station (an NCB LANA) on one adapter.</summary>
internal sealed class StationSettings
{
    /// <summary>The LANA number, 0-254, unique (<c>Lana</c>). Defaults to the entry's position in the list.</summary>
    public byte Lana { get; init; }

    /// <summary>The adapter: interface name, IPv4 address or CIDR (<c>Interface</c>). Defaults to null: the first
    /// non-loopback IPv4 interface, else loopback. Resolved when the station is bound.</summary>
    public string? Interface { get; init; }

    /// <summary>The node type (<c>NodeType</c>: B, P, M or H). Defaults to null: B, or H when name servers are given.</summary>
    public NodeType? NodeType { get; init; }

    /// <summary>The name servers (<c>Wins</c>, IPv4[:port] each). Defaults to none.</summary>
    public IReadOnlyList<IPEndPoint> Wins { get; init; } = [];

    /// <summary>The NetBIOS scope ID (<c>Scope</c>). Defaults to none.</summary>
    public string? Scope { get; init; }

    /// <summary>An LMHOSTS file (<c>Lmhosts</c>): the station resolves names in it and preloads its <c>#PRE</c> entries into
    /// the cache; <c>nbt cache --purge</c> reads it again from disk. Defaults to none.</summary>
    public string? Lmhosts { get; init; }

    /// <summary>The name service UDP port, here and on other nodes (<c>NameServicePort</c>). Defaults to 137.</summary>
    public int NameServicePort { get; init; } = 137;

    /// <summary>The datagram service UDP port (<c>DatagramPort</c>). Defaults to 138.</summary>
    public int DatagramPort { get; init; } = 138;

    /// <summary>The session service TCP port (<c>SessionPort</c>). Defaults to 139.</summary>
    public int SessionPort { get; init; } = 139;

    /// <summary>Accept sessions on <see cref="SessionPort"/> (<c>AcceptSessions</c>); false leaves TCP 139 to smbd.
    /// Defaults to true.</summary>
    public bool AcceptSessions { get; init; } = true;

    /// <summary>The host name registered as NAME&lt;00&gt; (permanent), NAME&lt;03&gt; and NAME&lt;20&gt; (<c>Name</c>).
    /// Defaults to this machine's name (first label, upper case, 15 characters at most); an empty value registers none.</summary>
    public string? Name { get; init; }

    /// <summary>Group names registered as GROUP&lt;00&gt; (<c>Groups</c>). Defaults to none.</summary>
    public IReadOnlyList<NetBiosName> Groups { get; init; } = [];

    /// <summary>Other unique names, NAME#xx (<c>Names</c>). Defaults to none.</summary>
    public IReadOnlyList<NetBiosName> Names { get; init; } = [];

    /// <summary>The host names to register (<see cref="Name"/> with suffixes 00, 03 and 20), parsed; the first is the permanent name.</summary>
    public IReadOnlyList<NetBiosName> HostNames { get; init; } = [];
}
