using System.Collections.Immutable;
using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameServer;

/// <summary>
/// One name in a name server's database: an immutable value that a store writes whole and returns whole. The server
/// makes a changed copy (<c>with</c>) and writes it back under <see cref="IWinsStore.WriteAsync"/>'s version check.
/// </summary>
public sealed record WinsRecord
{
    /// <summary>The name, with its suffix and scope (names are case-sensitive: the bytes are the key).</summary>
    public required NetBiosName Name { get; init; }

    /// <summary>Unique, group, special group or multi-homed.</summary>
    public required WinsRecordType Type { get; init; }

    /// <summary>Active, released or tombstone.</summary>
    public required WinsRecordState State { get; init; }

    /// <summary>The node type the registrant gave in its NB_FLAGS (B, P, M or H).</summary>
    public required NodeType NodeType { get; init; }

    /// <summary>
    /// The addresses: one for a unique name; the members of a special group or a multi-homed name; empty for a normal
    /// group (its members are not kept: a query answers 255.255.255.255).
    /// </summary>
    public required ImmutableArray<WinsAddress> Addresses { get; init; }

    /// <summary>
    /// When the record moves on: an active record is released if not refreshed by then, a released one becomes a
    /// tombstone, a tombstone is deleted.
    /// </summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>The name server that owns the record (this server's address for names registered with it).</summary>
    public required IPAddress Owner { get; init; }

    /// <summary>An administrator's static entry: never expires, never taken by a registration.</summary>
    public bool IsStatic { get; init; }

    /// <summary>
    /// The version the store gave the record when it was written: strictly increasing over every write the store
    /// ever made, across restarts (0 on a record not yet written).
    /// </summary>
    public long Version { get; init; }
}
