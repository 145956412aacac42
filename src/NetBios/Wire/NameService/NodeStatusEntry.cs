namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.18 NODE_NAME entry: a 16-byte name (not encoded) and its NAME_FLAGS.</summary>
/// <param name="Name">The name (with the scope of the response's RR_NAME).</param>
/// <param name="Flags">NAME_FLAGS.</param>
public readonly record struct NodeStatusEntry(NetBiosName Name, NodeStatusNameFlags Flags)
{
    /// <summary>Bytes on the wire: 18.</summary>
    public const int Length = 18;

    /// <summary>True for a group name.</summary>
    public bool IsGroup => (Flags & NodeStatusNameFlags.Group) != 0;

    /// <summary>The owner node type.</summary>
    public NodeType NodeType => (NodeType)(((ushort)Flags >> 13) & 3);
}
