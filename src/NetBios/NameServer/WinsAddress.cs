using System.Net;

namespace NetBios.NameServer;

/// <summary>
/// One address of a name server record, with the server that owns it and when it expires. Special groups and
/// multi-homed names keep one per member, refreshed and expired one by one (as Samba4's winsdb <c>address</c>
/// attribute: <c>IP;winsOwner:OWNER;expireTime:TIME</c>).
/// </summary>
/// <param name="Address">The member's IPv4 address.</param>
/// <param name="Owner">The name server that registered this address (this server's own address for local registrations).</param>
/// <param name="Expires">When this address stops counting unless refreshed.</param>
public readonly record struct WinsAddress(IPAddress Address, IPAddress Owner, DateTimeOffset Expires);
