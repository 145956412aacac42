using System.Buffers;

namespace NetBios.Wire.Session;

/// <summary>
/// One complete session service frame ([RFC 1002] 4.3.1) found by <see cref="NbssFrameScanner"/>: its header and its
/// trailer, not copied.
/// </summary>
/// <param name="Header">TYPE and LENGTH.</param>
/// <param name="Body">The trailer (LENGTH bytes), a slice of the scanned buffer: valid until the reader advances past it.</param>
public readonly record struct NbssFrame(SessionHeader Header, ReadOnlySequence<byte> Body)
{
    /// <summary>TYPE.</summary>
    public SessionPacketType Type => Header.Type;

    /// <summary>LENGTH of the trailer (0..131071).</summary>
    public int Length => Header.Length;
}
