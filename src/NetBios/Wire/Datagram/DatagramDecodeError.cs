namespace NetBios.Wire.Datagram;

/// <summary>Why a datagram service packet ([RFC 1002] 4.4) could not be decoded; for debug logs and tests.</summary>
public enum DatagramDecodeError : byte
{
    /// <summary>Decoded.</summary>
    None,

    /// <summary>Shorter than the fixed part of its type (10-byte header, 14 bytes for 0x10–0x12, 11 for an error).</summary>
    Truncated,

    /// <summary>MSG_TYPE is not 0x10–0x16.</summary>
    UnknownType,

    /// <summary>
    /// DGM_LENGTH disagrees with the bytes received: larger than what follows the 14-byte header, smaller than the two
    /// names it must cover, or smaller than what follows (bytes that no field accounts for).
    /// </summary>
    BadLength,

    /// <summary>The source name is malformed (or uses a label pointer, which datagrams may not).</summary>
    BadSourceName,

    /// <summary>The destination name is malformed (or uses a label pointer).</summary>
    BadDestinationName,

    /// <summary>An error or query packet (0x13–0x16) has bytes after its last field.</summary>
    TrailingBytes,
}
