using System.Net;

namespace NetBios.NameService;

/// <summary>One entry of a <see cref="LocalNameTable"/>: a name this node has added, and its state. NCB name numbers are
/// not kept here: the NCB layer numbers names (<c>NetBios.NcbInterface</c>).</summary>
/// <remarks>State changes happen under the owning table's lock; readers see a consistent snapshot of each property.</remarks>
public sealed class LocalName
{
    internal LocalName(NetBiosName name, bool isGroup, bool isPermanent)
    {
        Name = name;
        IsGroup = isGroup;
        IsPermanent = isPermanent;
    }

    /// <summary>The name.</summary>
    public NetBiosName Name { get; }

    /// <summary>True for a group name.</summary>
    public bool IsGroup { get; }

    /// <summary>True for the permanent node name (node status PRM flag).</summary>
    public bool IsPermanent { get; }

    /// <summary>Where the name is in its life.</summary>
    public LocalNameState State { get; internal set; } = LocalNameState.Registering;

    /// <summary>For a name in conflict: the address of the node that owns it, when known.</summary>
    public IPAddress? ConflictOwner { get; internal set; }

    /// <summary>The TTL granted by the name server (or asked for, for broadcast registrations).</summary>
    public TimeSpan Ttl { get; internal set; }

    /// <summary>True when a name server holds the registration (P/M/H nodes), so refresh and release go to it.</summary>
    public bool RegisteredWithNameServer { get; internal set; }

    /// <summary>Deregistered while still registered on the network (pending release after its sessions end).</summary>
    internal bool HeldOnNetwork { get; set; }

    /// <summary>When the name server's registration runs out unless refreshed: the last positive registration or refresh
    /// plus its TTL ([RFC 1001] 15.1.6). Null for a name not registered with a name server.</summary>
    internal DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>When the refresh timer fires next (<see cref="RefreshTimer"/>); null when none is armed.</summary>
    internal DateTimeOffset? RefreshDueAt { get; set; }

    /// <summary>The refresh timer, while the name is registered with a name server.</summary>
    internal ITimer? RefreshTimer { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {(IsGroup ? "GROUP" : "UNIQUE")} {State}";
}
