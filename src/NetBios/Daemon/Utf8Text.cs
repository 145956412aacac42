namespace NetBios.Daemon;

/// <summary>Cutting UTF-8 text to a byte limit for the IPC protocol's length-prefixed texts.</summary>
internal static class Utf8Text
{
    /// <summary>The longest prefix of <paramref name="utf8"/> of at most <paramref name="maxBytes"/> bytes that does not
    /// cut a multi-byte character.</summary>
    /// <param name="utf8">The encoded text.</param>
    /// <param name="maxBytes">The limit.</param>
    /// <returns>The prefix's length.</returns>
    public static int FitLength(ReadOnlySpan<byte> utf8, int maxBytes)
    {
        int length = Math.Min(utf8.Length, maxBytes);
        while (length < utf8.Length && length > 0 && (utf8[length] & 0xC0) == 0x80)
        {
            length--; // a continuation byte: step back to the character's first byte
        }

        return length;
    }
}
