using NetBios.NcbInterface;

namespace NetBios.Native;

/// <summary>An emulator's real-mode memory reached through the C callbacks given to <c>netbios_int5c_create</c>.</summary>
internal sealed unsafe class NativeRealModeMemory(
    nint context,
    int size,
    delegate* unmanaged<nint, uint, byte*, uint, void> read,
    delegate* unmanaged<nint, uint, byte*, uint, void> write) : IRealModeMemory
{
    /// <inheritdoc/>
    public int Size { get; } = size;

    /// <inheritdoc/>
    public void Read(int linear, Span<byte> destination)
    {
        fixed (byte* p = destination)
        {
            read(context, (uint)linear, p, (uint)destination.Length);
        }
    }

    /// <inheritdoc/>
    public void Write(int linear, ReadOnlySpan<byte> source)
    {
        fixed (byte* p = source)
        {
            write(context, (uint)linear, p, (uint)source.Length);
        }
    }
}
