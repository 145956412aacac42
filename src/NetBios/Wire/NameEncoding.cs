namespace NetBios.Wire;

/// <summary>
/// [RFC 1001] 14.1 FIRST LEVEL ENCODING: each of the 16 name bytes becomes two characters,
/// <c>'A'</c> + high nibble and <c>'A'</c> + low nibble, giving 32 characters in <c>'A'</c>–<c>'P'</c>.
/// </summary>
/// <remarks>Pure functions over spans; no allocation, no exceptions on bad input (decode returns false).</remarks>
public static class NameEncoding
{
    /// <summary>Length of a first-level encoded name: 32.</summary>
    public const int FirstLevelLength = 2 * NetBiosName.Length;

    /// <summary>Encodes 16 raw bytes into 32 ASCII bytes.</summary>
    /// <exception cref="ArgumentException">The spans have the wrong length (a caller bug).</exception>
    public static void EncodeFirstLevel(ReadOnlySpan<byte> name, Span<byte> destination)
    {
        if (name.Length != NetBiosName.Length || destination.Length < FirstLevelLength)
        {
            throw new ArgumentException("First-level encoding takes 16 bytes into 32.");
        }

        for (int i = 0; i < NetBiosName.Length; i++)
        {
            byte b = name[i];
            destination[2 * i] = (byte)('A' + (b >> 4));
            destination[2 * i + 1] = (byte)('A' + (b & 0x0F));
        }
    }

    /// <summary>Decodes 32 first-level characters into 16 raw bytes.</summary>
    /// <returns>False when the input is not 32 bytes or has a character outside <c>'A'</c>–<c>'P'</c>.</returns>
    public static bool TryDecodeFirstLevel(ReadOnlySpan<byte> encoded, Span<byte> name)
    {
        if (encoded.Length != FirstLevelLength || name.Length < NetBiosName.Length)
        {
            return false;
        }

        for (int i = 0; i < NetBiosName.Length; i++)
        {
            // Unsigned subtraction turns anything below 'A' into a large value, so one compare checks both ends.
            uint high = (uint)(encoded[2 * i] - 'A');
            uint low = (uint)(encoded[2 * i + 1] - 'A');
            if (high > 15 || low > 15)
            {
                return false;
            }

            name[i] = (byte)((high << 4) | low);
        }

        return true;
    }
}
