namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.18 NODE STATUS RESPONSE: NAME_FLAGS of each name in the node's table.</summary>
[Flags]
public enum NodeStatusNameFlags : ushort
{
    /// <summary>Unique, B node, not active.</summary>
    None = 0,

    /// <summary>PRM: the permanent node name.</summary>
    Permanent = 0x0200,

    /// <summary>ACT: the name is active (always set by RFC 1002).</summary>
    Active = 0x0400,

    /// <summary>CNF: the name is in conflict.</summary>
    Conflict = 0x0800,

    /// <summary>DRG: the name is being deregistered.</summary>
    Deregistering = 0x1000,

    /// <summary>ONT: owner node type, two bits (see <see cref="NodeType"/>).</summary>
    OwnerNodeTypeMask = 0x6000,

    /// <summary>G: group name.</summary>
    Group = 0x8000,
}
