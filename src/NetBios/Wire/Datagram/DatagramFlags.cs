namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.1 NetBIOS DATAGRAM HEADER: FLAGS (M, F and the source node type SNT).</summary>
/// <remarks>
/// <code>
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// |  RESERVED     |  SNT  | F | M |
/// +---+---+---+---+---+---+---+---+
/// </code>
/// Read SNT with <see cref="DatagramFlagsExtensions.GetSourceNodeType"/>. The four reserved bits are kept as received
/// so that a packet re-encodes to the same bytes.
/// </remarks>
[Flags]
public enum DatagramFlags : byte
{
    /// <summary>No flag: a last fragment (F=0, M=0) from a B node.</summary>
    None = 0,

    /// <summary>M: more fragments follow.</summary>
    More = 0x01,

    /// <summary>F: first fragment (an unfragmented datagram is F=1, M=0).</summary>
    First = 0x02,

    /// <summary>SNT: source end-node type, two bits: 00 B, 01 P, 10 M, 11 NBDD (Microsoft: H). See <see cref="DatagramSourceNodeType"/>.</summary>
    SourceNodeTypeMask = 0x0C,
}
