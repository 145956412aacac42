namespace NetBios.NameService;

/// <summary>How a name registration ended.</summary>
public enum RegistrationOutcome : byte
{
    /// <summary>The name is ours (positive response, or broadcast silence for a B-node).</summary>
    Registered,

    /// <summary>Another node owns the name (negative response ACT_ERR from the owner or the name server; NRC_DUPNAME/NRC_INUSE).</summary>
    Conflict,

    /// <summary>The name server refused with another RCODE (FMT_ERR, SRV_ERR, IMP_ERR, RFS_ERR, CFT_ERR).</summary>
    Refused,

    /// <summary>The name is already in the local name table (NRC_DUPNAME); nothing was sent.</summary>
    Duplicate,

    /// <summary>The local name table is full (NRC_NAMTFUL); nothing was sent.</summary>
    TableFull,

    /// <summary>The name server did not answer (P-node; M/H fall back as their node type says).</summary>
    Timeout,
}
