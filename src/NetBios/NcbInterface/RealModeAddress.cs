namespace NetBios.NcbInterface;

/// <summary>A real-mode far pointer, segment:offset, as NCB images hold buffer and POST addresses (docs/NCB.md §2.2).</summary>
/// <param name="Segment">The segment (the high word in the image).</param>
/// <param name="Offset">The offset (the low word in the image).</param>
public readonly record struct RealModeAddress(ushort Segment, ushort Offset)
{
    /// <summary>The linear address, segment × 16 + offset (up to 0x10FFEF with the A20 line on).</summary>
    public int Linear => (Segment << 4) + Offset;

    /// <summary>True for 0000:0000 (no POST routine, no buffer).</summary>
    public bool IsNull => Segment == 0 && Offset == 0;

    /// <summary>Reads the four bytes of an image field: offset (little-endian), then segment.</summary>
    public static RealModeAddress Read(ReadOnlySpan<byte> field) =>
        new((ushort)(field[2] | (field[3] << 8)), (ushort)(field[0] | (field[1] << 8)));

    /// <summary>Writes the four bytes of an image field.</summary>
    public void Write(Span<byte> field)
    {
        field[0] = (byte)Offset;
        field[1] = (byte)(Offset >> 8);
        field[2] = (byte)Segment;
        field[3] = (byte)(Segment >> 8);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Segment:X4}:{Offset:X4}";
}
