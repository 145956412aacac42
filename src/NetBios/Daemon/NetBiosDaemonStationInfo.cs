using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.Daemon;

/// <summary>One station (LANA) of the daemon (STATIONS, docs/IPC.md "Administration operations").</summary>
/// <param name="Lana">The LANA number.</param>
/// <param name="Address">The station's IPv4 address.</param>
/// <param name="NodeType">B, P, M or H (RFC 1001 §10).</param>
/// <param name="Scope">The NetBIOS scope ID, empty for none.</param>
/// <param name="UnitId">The unit id (MAC-like 6 bytes) node status reports, as 12 hex digits.</param>
/// <param name="NameCount">Names in the station's table now.</param>
/// <param name="SessionCount">Sessions established now.</param>
public sealed record NetBiosDaemonStationInfo(byte Lana, IPAddress Address, NodeType NodeType, string Scope, string UnitId, int NameCount,
    int SessionCount);
