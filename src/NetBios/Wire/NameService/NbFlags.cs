namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.3 RESOURCE RECORD, NB_FLAGS of an NB address entry.</summary>
[Flags]
public enum NbFlags : ushort
{
    /// <summary>Unique name, B node.</summary>
    None = 0,

    /// <summary>G: group name.</summary>
    Group = 0x8000,

    /// <summary>ONT: owner node type, two bits (see <see cref="NodeType"/>).</summary>
    OwnerNodeTypeMask = 0x6000,
}
