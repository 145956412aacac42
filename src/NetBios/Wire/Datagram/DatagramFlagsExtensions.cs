namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.1 NetBIOS DATAGRAM HEADER: reads and sets the SNT field of <see cref="DatagramFlags"/>.</summary>
public static class DatagramFlagsExtensions
{
    private const int SourceNodeTypeShift = 2;

    /// <summary>The source end-node type (SNT, bits 0x0C).</summary>
    /// <param name="flags">The FLAGS byte.</param>
    public static DatagramSourceNodeType GetSourceNodeType(this DatagramFlags flags) =>
        (DatagramSourceNodeType)(((int)flags & (int)DatagramFlags.SourceNodeTypeMask) >> SourceNodeTypeShift);

    /// <summary>Returns <paramref name="flags"/> with SNT replaced by <paramref name="nodeType"/>; the other bits are kept.</summary>
    /// <param name="flags">The FLAGS byte.</param>
    /// <param name="nodeType">The node type to put in SNT (only its two low bits are used).</param>
    public static DatagramFlags WithSourceNodeType(this DatagramFlags flags, DatagramSourceNodeType nodeType) =>
        (flags & ~DatagramFlags.SourceNodeTypeMask) | (DatagramFlags)(((int)nodeType & 0x3) << SourceNodeTypeShift);

    /// <summary>True when F (first fragment, 0x02) is set; an unfragmented datagram has F=1, M=0.</summary>
    /// <param name="flags">The FLAGS byte.</param>
    public static bool IsFirstFragment(this DatagramFlags flags) => (flags & DatagramFlags.First) != 0;

    /// <summary>True when M (more fragments follow, 0x01) is set.</summary>
    /// <param name="flags">The FLAGS byte.</param>
    public static bool HasMoreFragments(this DatagramFlags flags) => (flags & DatagramFlags.More) != 0;
}
