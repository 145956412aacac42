namespace NetBios.Wire.Session;

/// <summary>[RFC 1002] 4.3.4 NEGATIVE SESSION RESPONSE PACKET: ERROR_CODE.</summary>
public enum SessionErrorCode : byte
{
    /// <summary>Not listening on called name (0x80).</summary>
    NotListeningOnCalledName = 0x80,

    /// <summary>Not listening for calling name (0x81).</summary>
    NotListeningForCallingName = 0x81,

    /// <summary>Called name not present (0x82).</summary>
    CalledNameNotPresent = 0x82,

    /// <summary>Called name present, but insufficient resources (0x83).</summary>
    CalledNamePresentInsufficientResources = 0x83,

    /// <summary>Unspecified error (0x8F).</summary>
    UnspecifiedError = 0x8F,
}
