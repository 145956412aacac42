namespace NetBios.Wire.Session;

/// <summary>Why a session service frame was rejected.</summary>
public enum SessionFrameError : byte
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>TYPE is not one of the RFC 1002 §4.3 types (or the legacy 0x89).</summary>
    UnknownType,

    /// <summary>A FLAGS bit other than E (0x01) is set; the RFC says they must be zero.</summary>
    ReservedFlags,

    /// <summary>LENGTH is not allowed for the type (positive 0, negative 1, retarget 6, keepalive 0, request 2..256).</summary>
    BadLengthForType,

    /// <summary>LENGTH is above the configured maximum message size.</summary>
    TooLong,

    /// <summary>The body does not parse (a session request with malformed names).</summary>
    BadBody,
}
