namespace NetBios.Wire.Datagram;

/// <summary>Why a datagram service packet could not be decoded.</summary>
public enum DatagramDecodeError : byte
{
    /// <summary>Decoded.</summary>
    None,

    /// <summary>Shorter than the header of its type.</summary>
    Truncated,

    /// <summary>MSG_TYPE is not 0x10–0x16.</summary>
    UnknownType,

    /// <summary>DGM_LENGTH is larger than the bytes received, or smaller than the two names.</summary>
    BadLength,

    /// <summary>The source name is malformed (or uses a label pointer, which datagrams may not).</summary>
    BadSourceName,

    /// <summary>The destination name is malformed.</summary>
    BadDestinationName,
}
