using System.Text;

namespace NetBios.Wire;

/// <summary>
/// [RFC 1001] 14.2 SECOND LEVEL ENCODING and [RFC 1002] 4.1 compressed names: a NetBIOS name on the wire is a
/// length byte 0x20, the 32 first-level characters, then the scope as DNS labels, then a 0x00 byte.
/// </summary>
/// <remarks>
/// <para>
/// Label string pointers (top two bits 11, 14-bit offset) "can only be used in Name Service packets"; the datagram
/// and session decoders pass <c>allowPointers: false</c>. Name service packets use them for RR_NAME (0xC00C)
/// in registration, refresh and release requests, so the name service decoder must follow them.
/// </para>
/// <para>
/// Hostile input: every pointer must point strictly before the lowest offset read so far (so no loop can form),
/// hops are capped at <see cref="MaxPointerHops"/>, the second pointer byte is checked before it is read
/// (Samba 3bc7acc6264), and the whole name may not exceed 255 bytes. Nothing throws; a failure returns false.
/// </para>
/// </remarks>
public static class NameCodec
{
    /// <summary>Most pointer hops followed in one name (Samba nmblib uses 10; DNS decoders use fewer).</summary>
    public const int MaxPointerHops = 10;

    /// <summary>Longest second-level encoded name (RFC 1002 §4.1, as DNS: 255 bytes).</summary>
    public const int MaxEncodedLength = 255;

    /// <summary>Bytes the name takes on the wire without compression.</summary>
    public static int GetEncodedLength(in NetBiosName name)
    {
        string scope = name.Scope;
        return 1 + NameEncoding.FirstLevelLength + (scope.Length == 0 ? 0 : scope.Length + 1) + 1;
    }

    /// <summary>Writes the name uncompressed.</summary>
    /// <returns>False (nothing meaningful written) when <paramref name="destination"/> is too small.</returns>
    public static bool TryWrite(in NetBiosName name, Span<byte> destination, out int bytesWritten)
    {
        int length = GetEncodedLength(name);
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        destination[0] = NameEncoding.FirstLevelLength;
        Span<byte> raw = stackalloc byte[NetBiosName.Length];
        name.CopyTo(raw);
        NameEncoding.EncodeFirstLevel(raw, destination.Slice(1, NameEncoding.FirstLevelLength));
        int pos = 1 + NameEncoding.FirstLevelLength;
        string scope = name.Scope;
        if (scope.Length > 0)
        {
            // Labels are already validated (1..63 bytes, Latin-1) by NetBiosName.
            int start = 0;
            while (start <= scope.Length)
            {
                int dot = scope.IndexOf('.', start);
                int end = dot < 0 ? scope.Length : dot;
                destination[pos++] = (byte)(end - start);
                for (int i = start; i < end; i++)
                {
                    destination[pos++] = (byte)scope[i];
                }

                start = end + 1;
            }
        }

        destination[pos++] = 0;
        bytesWritten = pos;
        return true;
    }

    /// <summary>Reads a name at <paramref name="offset"/> in <paramref name="message"/>.</summary>
    /// <param name="message">The whole packet (pointers are offsets from its start).</param>
    /// <param name="offset">Where the name starts.</param>
    /// <param name="allowPointers">True only for name service packets.</param>
    /// <param name="name">The decoded name.</param>
    /// <param name="bytesConsumed">Bytes the name occupies at <paramref name="offset"/> (up to and including the first pointer).</param>
    /// <returns>False on malformed input; never throws.</returns>
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, bool allowPointers, out NetBiosName name, out int bytesConsumed) =>
        TryRead(message, offset, allowPointers, out name, out bytesConsumed, out _);

    /// <summary>Reads a name, saying why it failed.</summary>
    /// <inheritdoc cref="TryRead(ReadOnlySpan{byte}, int, bool, out NetBiosName, out int)"/>
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, bool allowPointers, out NetBiosName name, out int bytesConsumed, out NameDecodeError error)
    {
        name = default;
        bytesConsumed = 0;
        if ((uint)offset >= (uint)message.Length)
        {
            error = NameDecodeError.Truncated;
            return false;
        }

        Span<byte> raw = stackalloc byte[NetBiosName.Length];
        Span<byte> scope = stackalloc byte[MaxEncodedLength];
        int scopeLength = 0;
        int pos = offset;
        int lowest = offset;
        int hops = 0;
        int consumed = -1;
        int encodedLength = 0;
        bool first = true;
        while (true)
        {
            if (pos >= message.Length)
            {
                error = NameDecodeError.Truncated;
                return false;
            }

            byte length = message[pos];
            switch (length & 0xC0)
            {
                case 0xC0:
                    if (!allowPointers)
                    {
                        error = NameDecodeError.PointerNotAllowed;
                        return false;
                    }

                    // Check the second byte exists before reading it.
                    if (pos + 1 >= message.Length)
                    {
                        error = NameDecodeError.Truncated;
                        return false;
                    }

                    int target = ((length & 0x3F) << 8) | message[pos + 1];
                    if (consumed < 0)
                    {
                        consumed = pos + 2 - offset;
                    }

                    // Strictly backwards from everything read so far: no loops, no self-pointers, no forward jumps.
                    if (target >= lowest || ++hops > MaxPointerHops)
                    {
                        error = NameDecodeError.BadPointer;
                        return false;
                    }

                    lowest = target;
                    pos = target;
                    continue;
                case 0x40:
                case 0x80:
                    error = NameDecodeError.ReservedLabelType;
                    return false;
            }

            encodedLength += 1 + length;
            if (encodedLength > MaxEncodedLength)
            {
                error = NameDecodeError.TooLong;
                return false;
            }

            if (length == 0)
            {
                if (first)
                {
                    error = NameDecodeError.BadFirstLabelLength;
                    return false;
                }

                if (consumed < 0)
                {
                    consumed = pos + 1 - offset;
                }

                break;
            }

            if (pos + 1 + length > message.Length)
            {
                error = NameDecodeError.Truncated;
                return false;
            }

            ReadOnlySpan<byte> label = message.Slice(pos + 1, length);
            if (first)
            {
                if (length != NameEncoding.FirstLevelLength)
                {
                    error = NameDecodeError.BadFirstLabelLength;
                    return false;
                }

                if (!NameEncoding.TryDecodeFirstLevel(label, raw))
                {
                    error = NameDecodeError.BadNibble;
                    return false;
                }

                first = false;
            }
            else
            {
                if (label.IndexOfAny((byte)'.', (byte)0) >= 0)
                {
                    error = NameDecodeError.BadScopeLabel;
                    return false;
                }

                if (scopeLength > 0)
                {
                    scope[scopeLength++] = (byte)'.';
                }

                label.CopyTo(scope[scopeLength..]);
                scopeLength += length;
            }

            pos += 1 + length;
        }

        name = NetBiosName.FromBytesUnchecked(raw, scopeLength == 0 ? null : Encoding.Latin1.GetString(scope[..scopeLength]));
        bytesConsumed = consumed;
        error = NameDecodeError.None;
        return true;
    }
}
