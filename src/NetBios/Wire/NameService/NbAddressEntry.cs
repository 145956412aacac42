using System.Net;

namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.3 NB RDATA entry: NB_FLAGS (2 bytes) and NB_ADDRESS (4 bytes).</summary>
/// <param name="Flags">NB_FLAGS: group bit and owner node type.</param>
/// <param name="Address">NB_ADDRESS, an IPv4 address.</param>
public readonly record struct NbAddressEntry(NbFlags Flags, IPAddress Address)
{
    /// <summary>Bytes on the wire: 6.</summary>
    public const int Length = 6;

    /// <summary>True for a group name.</summary>
    public bool IsGroup => (Flags & NbFlags.Group) != 0;

    /// <summary>The owner node type.</summary>
    public NodeType NodeType => (NodeType)(((ushort)Flags >> 13) & 3);
}
