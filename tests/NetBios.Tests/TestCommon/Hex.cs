namespace NetBios.Tests.TestCommon;

/// <summary>Hex helpers for annotated byte vectors: whitespace and <c>|</c> separators are ignored.</summary>
public static class Hex
{
    /// <summary>Parses "20 45 47 | 46 43" into bytes.</summary>
    public static byte[] Parse(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c) && c != '|')));

    /// <summary>Formats bytes as lower-case hex with no separators.</summary>
    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
