namespace NetBios.NcbInterface;

/// <summary>An emulated PC's memory, as a DOS emulator (DOSBox-, winevdm-style host) exposes it to <see cref="Int5CBridge"/>.</summary>
public interface IRealModeMemory
{
    /// <summary>Bytes of addressable memory (1 MiB, or 1 MiB + 64 KiB with A20).</summary>
    int Size { get; }

    /// <summary>Copies <paramref name="destination"/>.Length bytes from linear address <paramref name="linear"/>.</summary>
    /// <param name="linear">The linear address; the caller checks it against <see cref="Size"/>.</param>
    /// <param name="destination">Where to copy.</param>
    void Read(int linear, Span<byte> destination);

    /// <summary>Copies <paramref name="source"/> to linear address <paramref name="linear"/>.</summary>
    /// <param name="linear">The linear address; the caller checks it against <see cref="Size"/>.</param>
    /// <param name="source">What to copy.</param>
    void Write(int linear, ReadOnlySpan<byte> source);
}
