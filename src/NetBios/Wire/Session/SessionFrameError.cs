namespace NetBios.Wire.Session;

/// <summary>Why a session service frame ([RFC 1002] 4.3) was rejected; for debug logs and tests.</summary>
public enum SessionFrameError : byte
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>TYPE is not one of the RFC 1002 §4.3 types (or the legacy 0x89).</summary>
    UnknownType,

    /// <summary>A FLAGS bit other than E (0x01) is set; the RFC says they must be zero.</summary>
    ReservedFlags,

    /// <summary>LENGTH is not allowed for the type (positive 0, negative 1, retarget 6, keepalive 0, 0x89 0, request 2..256).</summary>
    BadLengthForType,

    /// <summary>LENGTH of a SESSION MESSAGE is above the configured maximum message size.</summary>
    TooLong,

    /// <summary>
    /// The frame is not exactly 4 + LENGTH bytes, or the body does not parse as a whole (a session request whose two
    /// names do not fill LENGTH exactly).
    /// </summary>
    BadBody,

    /// <summary>The CALLED NAME of a session request is malformed (truncated, bad first label, bad nibble, a label pointer…).</summary>
    BadCalledName,

    /// <summary>The CALLING NAME of a session request is malformed.</summary>
    BadCallingName,

    /// <summary>A SESSION MESSAGE was given to the control-packet decoder; its payload belongs to the session layer.</summary>
    NotAControlPacket,
}
