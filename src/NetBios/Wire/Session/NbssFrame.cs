using System.Buffers;

namespace NetBios.Wire.Session;

/// <summary>One complete session service frame found by <see cref="NbssFrameScanner"/>: its header and its trailer, not copied.</summary>
/// <param name="Header">TYPE and LENGTH.</param>
/// <param name="Body">The trailer (LENGTH bytes), a slice of the scanned buffer.</param>
public readonly record struct NbssFrame(SessionHeader Header, ReadOnlySequence<byte> Body);
