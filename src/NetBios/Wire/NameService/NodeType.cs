namespace NetBios.Wire.NameService;

/// <summary>[RFC 1001] 10 NODE TYPES; the ONT field of NB_FLAGS and NAME_FLAGS.</summary>
public enum NodeType : byte
{
    /// <summary>Broadcast node (B, 00).</summary>
    B = 0,

    /// <summary>Point-to-point node: uses the NBNS only (P, 01).</summary>
    P = 1,

    /// <summary>Mixed node: broadcast first, then the NBNS (M, 10).</summary>
    M = 2,

    /// <summary>Hybrid node: the NBNS first, then broadcast (H, 11: reserved in the RFC, Microsoft's use).</summary>
    H = 3,
}
