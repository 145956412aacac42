using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// Settings of a name service node. Timers default to RFC 1002 §6 where the RFC gives a value, and to the
/// Microsoft (MS-NBTE) value where Windows behaviour is the better interoperable choice; each property says which.
/// </summary>
public sealed class NameServiceOptions
{
    /// <summary>The node type: B (broadcast), P (name server), M (broadcast then server) or H (server then broadcast). Defaults to B, or H when <see cref="NameServers"/> is not empty and this is left unset.</summary>
    public NodeType? NodeType { get; set; }

    /// <summary>The NetBIOS scope appended to every name. Defaults to none.</summary>
    public string? Scope { get; set; }

    /// <summary>NBNS (WINS) servers, tried in order. Defaults to none.</summary>
    public IList<IPEndPoint> NameServers { get; } = [];

    /// <summary>The UDP port of the name service on other nodes (name servers and broadcast). Defaults to 137.</summary>
    public int RemotePort { get; set; } = 137;

    /// <summary>BCAST_REQ_RETRY_TIMEOUT (RFC 1002 §6). Defaults to 250 ms.</summary>
    public TimeSpan BroadcastRetryTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>BCAST_REQ_RETRY_COUNT (RFC 1002 §6). Defaults to 3.</summary>
    public int BroadcastRetryCount { get; set; } = 3;

    /// <summary>UCAST_REQ_RETRY_TIMEOUT. RFC 1002 §6 says 5 s; MS-NBTE §3.1.2 says Windows SHOULD use 1.5 s. Defaults to 1.5 s.</summary>
    public TimeSpan UnicastRetryTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>UCAST_REQ_RETRY_COUNT (RFC 1002 §6). Defaults to 3.</summary>
    public int UnicastRetryCount { get; set; } = 3;

    /// <summary>The TTL asked for in registrations. Defaults to 300 000 s (what Windows asks for).</summary>
    public TimeSpan RegistrationTtl { get; set; } = TimeSpan.FromSeconds(300_000);

    /// <summary>Refresh is sent at this fraction of the granted TTL (RFC: half). Defaults to 0.5.</summary>
    public double RefreshFraction { get; set; } = 0.5;

    /// <summary>The shortest refresh interval (MS-NBTE §3.1.4.1: not less than 5 minutes). Defaults to 5 min.</summary>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest refresh interval, whatever the TTL (for example to refresh often in tests). Defaults to no limit.</summary>
    public TimeSpan MaximumRefreshInterval { get; set; } = TimeSpan.MaxValue;

    /// <summary>Shortest wait honoured after a WACK (docs/RELIABILITY.md §3.2: w2k3 sends nonsense TTLs). Defaults to 9 s.</summary>
    public TimeSpan MinimumWackWait { get; set; } = TimeSpan.FromSeconds(9);

    /// <summary>Longest wait honoured after a WACK. Defaults to 120 s.</summary>
    public TimeSpan MaximumWackWait { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How many more broadcast registration rounds run after negative responses or conflict demands whose sender did
    /// not confirm that it holds the name (a blind attacker's spoofed answers): each round starts as soon as the claim
    /// is refuted (the verification query, UCAST_REQ_RETRY_COUNT × UCAST_REQ_RETRY_TIMEOUT at most, is the pause), with a
    /// fresh transaction ID, and ignores the addresses already refuted. When they are used up the name is registered.
    /// A confirmed conflict is reported at once and never retried (the owner holds the name). Defaults to 4.
    /// </summary>
    public int UnconfirmedClaimRetries { get; set; } = 4;

    /// <summary>
    /// Whether a unique-name answer to a broadcast query is verified before it is used: the claimed address is asked for
    /// its node status (RFC 1002 §4.2.17), which must show the name held, unique and active; a claim that fails does not
    /// end the wait, so a genuine holder answering later within BCAST_REQ_RETRY_COUNT × BCAST_REQ_RETRY_TIMEOUT still
    /// wins. Windows does not check; we do, because a Responder-style impostor answers every broadcast query first with
    /// its own address. A lone genuine answer costs no time: its check runs within the window that the query waits out
    /// anyway (docs/BROADCAST-VERIFICATION.md); a lone claim whose node status goes unanswered (a silent host) is still
    /// used, with a diagnostic. Off: the first window's answers are used as Windows uses them, and only conflicting
    /// claims are checked. Defaults to true.
    /// </summary>
    public bool VerifyBroadcastAnswers { get; set; } = true;

    /// <summary>
    /// How long the node status answer (RFC 1002 §4.2.18) that verified a broadcast answer is reused to verify other
    /// names claimed by the same address (<see cref="VerifyBroadcastAnswers"/>; one node status lists all of a host's
    /// names). Checks of one address running at the same time always share one NODE STATUS REQUEST; an unanswered one
    /// is never reused, and an answer that lacks a name is asked again rather than refuting it. Two seconds covers a
    /// burst of resolutions (a program start, many programs at once) and is the time in which a responder with our
    /// answer rate limit (a burst of 10, then 5 a second per asker; <see cref="NameServiceEndpointOptions"/>) refills
    /// its whole burst, so that one request per host per lifetime never runs into it; it is short next to any name's
    /// lifetime, so a name released meanwhile is rarely verified from an older answer (and only by the host that held
    /// it). Node status asked for by a user (<c>nbt status</c>, <see cref="NameServiceNode.GetNodeStatusAsync(IPAddress, NetBiosName?, CancellationToken)"/>)
    /// is always fresh. <see cref="TimeSpan.Zero"/>: no reuse. Defaults to 2 s.
    /// </summary>
    public TimeSpan NodeStatusCacheLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The endpoint's settings (answer rate limits, log intervals), used when the node creates its own
    /// endpoint. Defaults to <see cref="NameServiceEndpointOptions"/>'s defaults.</summary>
    public NameServiceEndpointOptions Endpoint { get; set; } = new();

    /// <summary>The resolve order; sources missing from the list are not used. Defaults to: cache, LMHOSTS, then the node type's order (B: broadcast; P: name server; M: broadcast, name server; H: name server, broadcast), then DNS.</summary>
    public IList<ResolveSource>? ResolveOrder { get; set; }

    /// <summary>An LMHOSTS file to consult. Defaults to none.</summary>
    public LmhostsFile? Lmhosts { get; set; }

    /// <summary>Longest time a positive answer is cached, whatever its wire TTL. Defaults to 10 minutes (Windows CacheTimeout).</summary>
    public TimeSpan MaxCacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long "not found" is remembered. Defaults to 15 s; zero disables negative caching.</summary>
    public TimeSpan NegativeCacheTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most names in the local name table. Defaults to 254 (name numbers 1..254).</summary>
    public int MaxNames { get; set; } = 254;

    /// <summary>Most answers kept from one query (Samba NBT_MAX_REPLIES is 1000). Defaults to 256.</summary>
    public int MaxAnswers { get; set; } = 256;

    /// <summary>The MAC address reported in node status (UNIT_ID). Defaults to all zeros, as Samba reports.</summary>
    public byte[] UnitId { get; set; } = new byte[6];

    /// <summary>
    /// Whether DNS is the last resort (only for suffixes 0x00 and 0x20, as Windows does). Defaults to false, so that
    /// a NetBIOS lookup never leaks to a DNS server unless asked to.
    /// </summary>
    public bool EnableDns { get; set; }

    /// <summary>The DNS lookup used when <see cref="EnableDns"/> is set. Defaults to <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>>? DnsResolver { get; set; } = Dns.GetHostAddressesAsync;

    /// <summary>The node type in effect.</summary>
    public NodeType EffectiveNodeType => NodeType ?? (NameServers.Count > 0 ? Wire.NameService.NodeType.H : Wire.NameService.NodeType.B);

    /// <summary>The resolve order in effect.</summary>
    public IReadOnlyList<ResolveSource> EffectiveResolveOrder
    {
        get
        {
            if (ResolveOrder is { } order)
            {
                return [.. order];
            }

            var list = new List<ResolveSource> { ResolveSource.Cache, ResolveSource.Lmhosts };
            list.AddRange(EffectiveNodeType switch
            {
                Wire.NameService.NodeType.P => [ResolveSource.NameServer],
                Wire.NameService.NodeType.M => [ResolveSource.Broadcast, ResolveSource.NameServer],
                Wire.NameService.NodeType.H => [ResolveSource.NameServer, ResolveSource.Broadcast],
                _ => [ResolveSource.Broadcast],
            });
            if (EnableDns)
            {
                list.Add(ResolveSource.Dns);
            }

            return list;
        }
    }

    /// <summary>Checks the settings once, with a one-line message per problem.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!string.IsNullOrEmpty(Scope) && NetBiosName.ValidateScope(Scope) is { } scopeError)
        {
            throw new ArgumentException(scopeError, nameof(Scope));
        }

        if (EffectiveNodeType != Wire.NameService.NodeType.B && NameServers.Count == 0)
        {
            throw new ArgumentException($"a {EffectiveNodeType}-node needs at least one name server (NBNS/WINS)", nameof(NameServers));
        }

        if (BroadcastRetryCount < 1 || UnicastRetryCount < 1)
        {
            throw new ArgumentException("retry counts must be at least 1");
        }

        if (MaxNames is < 1 or > 254)
        {
            throw new ArgumentException("MaxNames must be 1..254 (NCB name numbers)", nameof(MaxNames));
        }

        if (UnitId.Length != 6)
        {
            throw new ArgumentException("UnitId (MAC) must be 6 bytes", nameof(UnitId));
        }

        if (NodeStatusCacheLifetime < TimeSpan.Zero)
        {
            throw new ArgumentException("NodeStatusCacheLifetime must not be negative", nameof(NodeStatusCacheLifetime));
        }

        if (UnconfirmedClaimRetries < 0)
        {
            throw new ArgumentException("UnconfirmedClaimRetries must not be negative", nameof(UnconfirmedClaimRetries));
        }

        Endpoint.Validate();
        if (RefreshFraction is <= 0 or > 1)
        {
            throw new ArgumentException("RefreshFraction must be in (0, 1]", nameof(RefreshFraction));
        }
    }

    /// <summary>A copy with another <see cref="UnitId"/> (the caller's options stay as they are).</summary>
    internal NameServiceOptions WithUnitId(byte[] unitId)
    {
        var copy = (NameServiceOptions)MemberwiseClone();
        copy.UnitId = unitId;
        return copy;
    }
}
