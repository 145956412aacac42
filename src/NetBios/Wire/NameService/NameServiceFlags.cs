namespace NetBios.Wire.NameService;

/// <summary>
/// [RFC 1002] 4.2.1.1 HEADER: the NM_FLAGS bits, as they sit in the 16-bit word after NAME_TRN_ID
/// (so they can be or-ed straight into it).
/// </summary>
[Flags]
public enum NameServiceFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Broadcast (B): the packet was broadcast.</summary>
    Broadcast = 0x0010,

    /// <summary>Recursion available (RA): the NBNS supports recursive queries.</summary>
    RecursionAvailable = 0x0080,

    /// <summary>Recursion desired (RD): ask the NBNS for its database rather than the node's own names.</summary>
    RecursionDesired = 0x0100,

    /// <summary>Truncation (TC): the packet was truncated.</summary>
    Truncated = 0x0200,

    /// <summary>Authoritative answer (AA).</summary>
    Authoritative = 0x0400,
}
