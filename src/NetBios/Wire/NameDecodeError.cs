namespace NetBios.Wire;

/// <summary>Why a second-level encoded name could not be decoded; for debug logs and tests.</summary>
public enum NameDecodeError : byte
{
    /// <summary>The name decoded.</summary>
    None = 0,

    /// <summary>The name runs past the end of the packet.</summary>
    Truncated,

    /// <summary>The first label is not exactly 32 bytes (RFC 1002 §4.1; Samba ad236bb7590).</summary>
    BadFirstLabelLength,

    /// <summary>A first-level character is outside <c>'A'</c>–<c>'P'</c>.</summary>
    BadNibble,

    /// <summary>A label length byte has the reserved top bits 01 or 10.</summary>
    ReservedLabelType,

    /// <summary>A label pointer (0xC0) where pointers are not allowed (datagram and session packets).</summary>
    PointerNotAllowed,

    /// <summary>A label pointer that does not point strictly backwards, or too many hops.</summary>
    BadPointer,

    /// <summary>A scope label contains a dot or a NUL byte, which the text form cannot carry.</summary>
    BadScopeLabel,

    /// <summary>The encoded name is longer than 255 bytes.</summary>
    TooLong,
}
