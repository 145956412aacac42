using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace NetBios;

/// <summary>
/// A NetBIOS name: exactly 16 raw bytes (15 name bytes and the suffix/type byte) plus an optional NetBIOS scope.
/// </summary>
/// <remarks>
/// <para>
/// The bytes are kept exactly as given or received: the wire is case-sensitive, so no upper-casing or trimming
/// happens here unless the caller asks for it (<see cref="NetBiosNameOptions.UpperCase"/>). Names shorter than 15
/// bytes are padded with spaces (0x20), as Microsoft and Samba do; the wildcard <c>*</c> is padded with 0x00
/// (RFC 1002 §4.2.17, node status request).
/// </para>
/// <para>
/// Text form is <c>NAME&lt;20&gt;</c> (also accepted on input as <c>NAME#20</c>); bytes that are not printable
/// ASCII appear as <c>\xNN</c> so that the text form round-trips. The scope, if any, is kept separately in
/// <see cref="Scope"/> and compared ordinally (case-sensitive, as Samba's WINS tests expect).
/// </para>
/// <para>
/// The default suffix rule, one for the library and the <c>nbt</c> tool: a name written without a suffix
/// (<c>NetBiosName.Parse("DEMO")</c>, <c>nbt query DEMO</c>) is <c>DEMO&lt;00&gt;</c>, <see cref="DefaultSuffix"/>:
/// the workstation name that every NetBT node registers (MS-NBTE §2.2.1 names the 16th byte the "NetBIOS suffix";
/// Windows, Samba and this library's node always register <c>&lt;00&gt;</c>, while <c>&lt;20&gt;</c> exists only where
/// a file server runs), and the name Windows asks for when it resolves a host name over NetBT. Samba's
/// <c>nmblookup</c> defaults to <c>&lt;20&gt;</c> instead (it looks for SMB servers): write <c>DEMO#20</c> for that.
/// NetBIOS 3.0 (the NCB interface) has no suffix at all: an NCB name is 16 raw bytes, and a short one padded with
/// spaces through byte 16 is therefore <c>NAME&lt;20&gt;</c> on the wire; that is padding, not a default, and
/// <see cref="FromBytes(ReadOnlySpan{byte}, string?)"/> or <see cref="Create"/> keep it exactly.
/// </para>
/// <para>This is an immutable value; it is safe to share between threads.</para>
/// </remarks>
public readonly struct NetBiosName : IEquatable<NetBiosName>, ISpanFormattable
{
    /// <summary>The number of raw bytes in a NetBIOS name (RFC 1001 §14.1: 16).</summary>
    public const int Length = 16;

    /// <summary>The number of name bytes before the suffix byte (15).</summary>
    public const int MaxNameLength = 15;

    /// <summary>
    /// The suffix of a name written without one: 0x00, the workstation name (<c>DEMO</c> means <c>DEMO&lt;00&gt;</c>).
    /// Used by <see cref="Parse"/> and <see cref="TryParse"/> when no default is given, by LMHOSTS and by every
    /// <c>nbt</c> command. See the remarks of <see cref="NetBiosName"/> for why it is 0x00 and not 0x20.
    /// </summary>
    public const byte DefaultSuffix = 0x00;

    /// <summary>The longest scope accepted: a second-level encoded name may not exceed 255 bytes (RFC 1002 §4.1).</summary>
    public const int MaxScopeLength = 255 - 34 - 1;

    // Bytes 0..7 and 8..15, big-endian, so that comparisons and hashing are two word operations.
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly string? _scope;

    private NetBiosName(ulong high, ulong low, string? scope)
    {
        _high = high;
        _low = low;
        _scope = string.IsNullOrEmpty(scope) ? null : scope;
    }

    /// <summary>The wildcard name <c>*</c> followed by fifteen 0x00 bytes, used in node status requests.</summary>
    public static NetBiosName Wildcard { get; } = new(0x2A00_0000_0000_0000UL, 0UL, null);

    /// <summary>The scope (for example <c>SCOPE.ID.COM</c>), or the empty string when there is none.</summary>
    public string Scope => _scope ?? string.Empty;

    /// <summary>The 16th byte: the suffix or "type" of the name (0x00 workstation, 0x20 server, 0x1C domain controllers…).</summary>
    public byte Suffix => (byte)_low;

    /// <summary>True when the first byte is <c>*</c> (0x2A): a wildcard name, never registered or defended.</summary>
    public bool IsWildcard => (byte)(_high >> 56) == (byte)'*';

    /// <summary>Gets one raw byte of the name.</summary>
    /// <param name="index">0..15.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..15.</exception>
    public byte this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
            ulong word = index < 8 ? _high : _low;
            return (byte)(word >> (8 * (7 - (index & 7))));
        }
    }

    /// <summary>Creates a name from exactly 16 raw bytes.</summary>
    /// <param name="bytes">The 16 raw bytes.</param>
    /// <param name="scope">The scope, or null/empty for none.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 16 bytes, or the scope is invalid.</exception>
    public static NetBiosName FromBytes(ReadOnlySpan<byte> bytes, string? scope = null)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A NetBIOS name is exactly {Length} bytes, not {bytes.Length}.", nameof(bytes));
        }

        if (!string.IsNullOrEmpty(scope) && ValidateScope(scope) is { } scopeError)
        {
            throw new ArgumentException(scopeError, nameof(scope));
        }

        return FromBytesUnchecked(bytes, scope);
    }

    /// <summary>Creates a name from 16 bytes and an already validated scope (used by the decoders).</summary>
    internal static NetBiosName FromBytesUnchecked(ReadOnlySpan<byte> bytes, string? scope) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), scope);

    /// <summary>
    /// Creates a name from up to 15 characters and a suffix byte. Characters must be in 0x00–0xFF (one byte each);
    /// the name is padded with spaces, or with 0x00 when it is exactly <c>*</c>.
    /// </summary>
    /// <param name="name">The name bytes as text (each char one byte, Latin-1).</param>
    /// <param name="suffix">The 16th byte.</param>
    /// <param name="scope">The scope, or null/empty for none.</param>
    /// <param name="options">Upper-casing and similar choices; by default bytes are kept as given.</param>
    /// <exception cref="ArgumentException">The name is empty, too long, has a character above 0xFF, or the scope is invalid.</exception>
    public static NetBiosName Create(string name, byte suffix, string? scope = null, NetBiosNameOptions options = NetBiosNameOptions.None)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryCreate(name, suffix, scope, options, out var result, out string? error))
        {
            return result;
        }

        throw new ArgumentException(error, nameof(name));
    }

    /// <summary>The non-throwing form of <see cref="Create"/>.</summary>
    /// <returns>False with a one-line <paramref name="error"/> when the input is not a valid name.</returns>
    public static bool TryCreate(string name, byte suffix, string? scope, NetBiosNameOptions options, out NetBiosName result, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        result = default;
        if (name.Length == 0)
        {
            error = "a NetBIOS name cannot be empty";
            return false;
        }

        if (name.Length > MaxNameLength)
        {
            error = $"'{name}' is {name.Length} characters; a NetBIOS name has at most {MaxNameLength} before the suffix";
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        byte pad = name == "*" ? (byte)0x00 : (byte)' ';
        bytes.Fill(pad);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c > 0xFF)
            {
                error = $"'{name}' has the character U+{(int)c:X4}; NetBIOS names are single bytes (use \\xNN)";
                return false;
            }

            if ((options & NetBiosNameOptions.UpperCase) != 0 && c is >= 'a' and <= 'z')
            {
                c = (char)(c - 32);
            }

            bytes[i] = (byte)c;
        }

        bytes[MaxNameLength] = suffix;
        if (!string.IsNullOrEmpty(scope) && ValidateScope(scope) is { } scopeError)
        {
            error = scopeError;
            return false;
        }

        result = FromBytesUnchecked(bytes, scope);
        error = null;
        return true;
    }

    /// <summary>
    /// Parses <c>NAME</c>, <c>NAME&lt;1D&gt;</c> or <c>NAME#1D</c> (hexadecimal suffix); <c>\xNN</c> escapes a byte
    /// and <c>\\</c> a backslash. Without a suffix, <paramref name="defaultSuffix"/> is used: <see cref="DefaultSuffix"/>
    /// (0x00) unless the caller says otherwise, so <c>Parse("DEMO")</c> is <c>DEMO&lt;00&gt;</c>.
    /// </summary>
    /// <remarks>
    /// This is the text form people type, the inverse of <see cref="ToString()"/>: only printable ASCII (0x20–0x7E)
    /// is taken literally; any other byte (a control byte, a letter such as <c>é</c>) must be written as <c>\xNN</c>, so
    /// that a name pasted with a stray control byte or typed in another code page is refused rather than registered
    /// as a different name. <see cref="Create"/> and <see cref="FromBytes(ReadOnlySpan{byte}, string?)"/> take raw bytes,
    /// and names decoded from the wire are never checked: the network may carry any byte.
    /// </remarks>
    /// <param name="text">The text to parse.</param>
    /// <param name="defaultSuffix">Suffix used when none is written; <see cref="DefaultSuffix"/> (0x00) when not given.</param>
    /// <param name="scope">The scope, or null/empty for none.</param>
    /// <param name="options">Upper-casing and similar choices.</param>
    /// <exception cref="FormatException">The text is not a valid NetBIOS name, or holds a character outside printable
    /// ASCII; the message says why in one line.</exception>
    public static NetBiosName Parse(string text, byte defaultSuffix = DefaultSuffix, string? scope = null, NetBiosNameOptions options = NetBiosNameOptions.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, defaultSuffix, scope, options, out var name, out string? error) ? name : throw new FormatException(error);
    }

    /// <summary>
    /// The non-throwing form of <see cref="Parse"/>. Pass <see cref="DefaultSuffix"/> as <paramref name="defaultSuffix"/>
    /// to follow the library's rule (a name without a suffix is <c>NAME&lt;00&gt;</c>).
    /// </summary>
    /// <returns>False with a one-line <paramref name="error"/> when the text is not a valid name.</returns>
    public static bool TryParse(string text, byte defaultSuffix, string? scope, NetBiosNameOptions options, out NetBiosName name, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        name = default;
        if (text.AsSpan().IndexOfAnyExceptInRange((char)0x20, (char)0x7E) is int bad and >= 0)
        {
            // The text itself is not echoed: it holds the very byte (a newline, an escape sequence) that would spoil a one-line message.
            error = $"character {bad + 1} of the name is U+{(int)text[bad]:X4}; only printable ASCII is taken literally, write other bytes as \\xNN";
            return false;
        }

        string body = text;
        byte suffix = defaultSuffix;
        if (text.EndsWith('>') && text.LastIndexOf('<') is int open and >= 0)
        {
            if (!TryParseSuffix(text.AsSpan(open + 1, text.Length - open - 2), out suffix))
            {
                error = $"'{text}': the suffix in <..> must be two hex digits, like <20>";
                return false;
            }

            body = text[..open];
        }
        else if (text.LastIndexOf('#') is int hash and >= 0 && hash == text.Length - 3)
        {
            if (!TryParseSuffix(text.AsSpan(hash + 1), out suffix))
            {
                error = $"'{text}': the suffix after # must be two hex digits, like #20";
                return false;
            }

            body = text[..hash];
        }

        if (!TryUnescape(body, out string? raw))
        {
            error = $"'{text}': a backslash must be followed by \\ or xNN";
            return false;
        }

        if (!TryCreate(raw, suffix, scope, options, out name, out error))
        {
            return false;
        }

        return true;
    }

    /// <summary>Checks a scope: dot-separated labels of 1–63 bytes, no NUL, at most <see cref="MaxScopeLength"/> in all.</summary>
    /// <returns>Null when valid, otherwise a one-line reason.</returns>
    public static string? ValidateScope(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Length > MaxScopeLength)
        {
            return $"the scope is {scope.Length} bytes; at most {MaxScopeLength} fit in a 255-byte encoded name";
        }

        int labelLength = 0;
        foreach (char c in scope)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return $"scope '{scope}' has an empty label (leading, trailing or doubled dot)";
                }

                labelLength = 0;
                continue;
            }

            if (c > 0xFF || c == '\0')
            {
                return $"scope '{scope}' has a character that is not a single non-NUL byte";
            }

            if (++labelLength > 63)
            {
                return $"scope '{scope}' has a label longer than 63 bytes";
            }
        }

        return labelLength == 0 ? $"scope '{scope}' ends with a dot" : null;
    }

    /// <summary>Copies the 16 raw bytes to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 16 bytes.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("The destination must hold 16 bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>Returns a new array with the 16 raw bytes.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Returns a copy of this name with another suffix byte.</summary>
    public NetBiosName WithSuffix(byte suffix) => new(_high, (_low & ~0xFFUL) | suffix, _scope);

    /// <summary>Returns a copy of this name with another scope (validated).</summary>
    /// <exception cref="ArgumentException">The scope is invalid.</exception>
    public NetBiosName WithScope(string? scope)
    {
        if (!string.IsNullOrEmpty(scope) && ValidateScope(scope) is { } error)
        {
            throw new ArgumentException(error, nameof(scope));
        }

        return new(_high, _low, scope);
    }

    /// <summary>
    /// The 15 name bytes as text with trailing padding (spaces, or NULs for the wildcard) removed and unprintable
    /// bytes escaped as <c>\xNN</c>: <c>FRED</c> for <c>FRED&lt;20&gt;</c>.
    /// </summary>
    public string NameText
    {
        get
        {
            Span<char> buffer = stackalloc char[MaxNameLength * 4];
            int written = FormatName(buffer);
            return new string(buffer[..written]);
        }
    }

    /// <summary>Formats as <c>NAME&lt;20&gt;</c>, with <c>.scope</c> appended when there is a scope.</summary>
    public override string ToString() => ToString(null, null);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        Span<char> buffer = stackalloc char[MaxNameLength * 4 + 4];
        _ = TryFormat(buffer, out int written, default, null);
        return _scope is null ? new string(buffer[..written]) : string.Concat(buffer[..written], ".", _scope);
    }

    /// <inheritdoc/>
    /// <remarks>The scope is not written; use <see cref="ToString()"/> for the full form.</remarks>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        Span<char> buffer = stackalloc char[MaxNameLength * 4 + 4];
        int n = FormatName(buffer);
        buffer[n++] = '<';
        byte suffix = Suffix;
        buffer[n++] = HexDigit(suffix >> 4);
        buffer[n++] = HexDigit(suffix & 0xF);
        buffer[n++] = '>';
        if (n > destination.Length)
        {
            charsWritten = 0;
            return false;
        }

        buffer[..n].CopyTo(destination);
        charsWritten = n;
        return true;
    }

    /// <summary>The first-level encoding (RFC 1001 §14.1), with <c>.scope</c> appended when there is one.</summary>
    public string ToFirstLevelString()
    {
        Span<byte> raw = stackalloc byte[Length];
        CopyTo(raw);
        Span<byte> encoded = stackalloc byte[2 * Length];
        Wire.NameEncoding.EncodeFirstLevel(raw, encoded);
        string text = Encoding.ASCII.GetString(encoded);
        return _scope is null ? text : text + "." + _scope;
    }

    /// <inheritdoc/>
    public bool Equals(NetBiosName other) =>
        _high == other._high && _low == other._low && string.Equals(_scope, other._scope, StringComparison.Ordinal);

    /// <summary>An ordinal order of names: by the 16 bytes (as unsigned bytes, first to last), then by the scope
    /// (ordinal; no scope first). It is how lists of names are sorted (<c>nbt wins list</c>, the daemon's WINS LIST).</summary>
    /// <param name="a">One name.</param>
    /// <param name="b">The other.</param>
    /// <returns>Negative when <paramref name="a"/> comes first, 0 when equal, positive otherwise.</returns>
    public static int CompareOrdinal(NetBiosName a, NetBiosName b)
    {
        int bytes = a._high != b._high ? a._high.CompareTo(b._high) : a._low.CompareTo(b._low);
        return bytes != 0 ? bytes : string.CompareOrdinal(a._scope, b._scope);
    }

    /// <summary>True when the 16 bytes are equal, whatever the scopes.</summary>
    public bool BytesEqual(NetBiosName other) => _high == other._high && _low == other._low;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetBiosName other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_high, _low, _scope is null ? 0 : StringComparer.Ordinal.GetHashCode(_scope));

    /// <summary>Equality of bytes and scope.</summary>
    public static bool operator ==(NetBiosName left, NetBiosName right) => left.Equals(right);

    /// <summary>Inequality of bytes or scope.</summary>
    public static bool operator !=(NetBiosName left, NetBiosName right) => !left.Equals(right);

    private int FormatName(Span<char> destination)
    {
        Span<byte> raw = stackalloc byte[Length];
        CopyTo(raw);
        ReadOnlySpan<byte> name = raw[..MaxNameLength];
        byte pad = IsWildcard ? (byte)0x00 : (byte)' ';
        int end = name.Length;
        while (end > 1 && name[end - 1] == pad)
        {
            end--;
        }

        int n = 0;
        for (int i = 0; i < end; i++)
        {
            byte b = name[i];
            if (b is >= 0x20 and < 0x7F && b != '\\')
            {
                destination[n++] = (char)b;
            }
            else if (b == '\\')
            {
                destination[n++] = '\\';
                destination[n++] = '\\';
            }
            else
            {
                destination[n++] = '\\';
                destination[n++] = 'x';
                destination[n++] = HexDigit(b >> 4);
                destination[n++] = HexDigit(b & 0xF);
            }
        }

        return n;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryParseSuffix(ReadOnlySpan<char> text, out byte suffix) =>
        byte.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out suffix) && text.Length == 2;

    private static bool TryUnescape(string text, [NotNullWhen(true)] out string? result)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            result = text;
            return true;
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                builder.Append(text[i]);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '\\')
            {
                builder.Append('\\');
                i++;
            }
            else if (i + 3 < text.Length && (text[i + 1] == 'x' || text[i + 1] == 'X') && TryParseSuffix(text.AsSpan(i + 2, 2), out byte b))
            {
                builder.Append((char)b);
                i += 3;
            }
            else
            {
                result = null;
                return false;
            }
        }

        result = builder.ToString();
        return true;
    }
}
