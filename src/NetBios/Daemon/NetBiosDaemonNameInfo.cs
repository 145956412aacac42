using System.Net;
using NetBios.NameService;

namespace NetBios.Daemon;

/// <summary>One name of a daemon station's table (NAMES, docs/IPC.md "Administration operations"; like nbtstat -n).</summary>
/// <param name="Lana">The station's LANA.</param>
/// <param name="Name">The name (with the station's scope).</param>
/// <param name="IsGroup">A group name.</param>
/// <param name="IsPermanent">The permanent node name (NAME_NUMBER_1).</param>
/// <param name="State">Registering, registered, deregistered (being deleted) or conflict (RFC 1001 §15.1).</param>
/// <param name="Ttl">The TTL granted (name server) or requested (broadcast) at registration; zero for none.</param>
/// <param name="ConflictOwner">For a conflict: the node that defended the name, when known.</param>
/// <param name="Holder">Who holds it: the station, the daemon (<c>nbt register</c>) or a client.</param>
/// <param name="ProcessId">The holding client's pid (<see cref="NetBiosDaemonNameHolder.Client"/>), else 0.</param>
/// <param name="UserId">The uid of the client that holds it, or that asked the daemon to hold it; 0 for the station.</param>
/// <param name="TtlLeft">Time left before the name server's registration runs out unless refreshed (the last positive
/// registration or refresh plus its TTL, [RFC 1001] 15.1.6; zero once past); null for a name not registered with a name
/// server (broadcast registrations do not expire).</param>
/// <param name="NextRefresh">Time until the next NAME REFRESH ([RFC 1002] 4.2.4) is sent; null when none is scheduled
/// (broadcast names, names not registered).</param>
public sealed record NetBiosDaemonNameInfo(byte Lana, NetBiosName Name, bool IsGroup, bool IsPermanent, LocalNameState State, TimeSpan Ttl,
    IPAddress? ConflictOwner, NetBiosDaemonNameHolder Holder, int ProcessId, uint UserId, TimeSpan? TtlLeft = null, TimeSpan? NextRefresh = null);
