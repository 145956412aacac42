namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.1 HEADER: the OPCODE field (4 bits).</summary>
public enum NameServiceOpcode : byte
{
    /// <summary>Name query and node status (QUERY, 0).</summary>
    Query = 0x0,

    /// <summary>Name registration (REGISTRATION, 5).</summary>
    Registration = 0x5,

    /// <summary>Name release (RELEASE, 6).</summary>
    Release = 0x6,

    /// <summary>Wait for acknowledgement (WACK, 7).</summary>
    Wack = 0x7,

    /// <summary>Name refresh (REFRESH, 8).</summary>
    Refresh = 0x8,

    /// <summary>Name refresh as Windows and Samba send it (NBT_OPCODE_REFRESH2, 9): RFC 1002's ambiguity.</summary>
    Refresh9 = 0x9,

    /// <summary>Multi-homed name registration (0xF, Microsoft extension, MS-NBTE §2.2.1).</summary>
    MultiHomedRegistration = 0xF,
}
