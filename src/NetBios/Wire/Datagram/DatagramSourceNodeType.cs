namespace NetBios.Wire.Datagram;

/// <summary>
/// [RFC 1002] 4.4.1 NetBIOS DATAGRAM HEADER: SNT, the two-bit source end-node type in FLAGS (mask 0x0C).
/// </summary>
public enum DatagramSourceNodeType : byte
{
    /// <summary>B node (00): broadcast only.</summary>
    BNode = 0,

    /// <summary>P node (01): point-to-point, via the NBNS.</summary>
    PNode = 1,

    /// <summary>M node (10): broadcast first, then the NBNS.</summary>
    MNode = 2,

    /// <summary>
    /// 11: "NBDD" in the RFC (the datagram distribution server relayed it); Microsoft senders use it for H nodes.
    /// </summary>
    NbddOrHNode = 3,
}
