namespace NetBios.Wire.Datagram;

/// <summary>[RFC 1002] 4.4.1 NetBIOS DATAGRAM HEADER: FLAGS (M, F and the source node type SNT).</summary>
[Flags]
public enum DatagramFlags : byte
{
    /// <summary>No flag: a last (or middle with <see cref="More"/>) fragment from a B node.</summary>
    None = 0,

    /// <summary>M: more fragments follow.</summary>
    More = 0x01,

    /// <summary>F: first fragment (an unfragmented datagram is F=1, M=0).</summary>
    First = 0x02,

    /// <summary>SNT: source end-node type, two bits: 00 B, 01 P, 10 M, 11 NBDD (Microsoft: H).</summary>
    SourceNodeTypeMask = 0x0C,
}
