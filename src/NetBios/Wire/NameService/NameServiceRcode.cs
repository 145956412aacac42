namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.1 HEADER: the RCODE field (4 bits).</summary>
public enum NameServiceRcode : byte
{
    /// <summary>No error.</summary>
    Ok = 0,

    /// <summary>Format error: the request was malformed (FMT_ERR, 1).</summary>
    FormatError = 1,

    /// <summary>Server failure: the NBNS cannot process the request (SRV_ERR, 2).</summary>
    ServerFailure = 2,

    /// <summary>The name does not exist (NAM_ERR, 3).</summary>
    NameError = 3,

    /// <summary>Unsupported request (IMP_ERR, 4).</summary>
    NotImplemented = 4,

    /// <summary>Refused for policy reasons (RFS_ERR, 5).</summary>
    Refused = 5,

    /// <summary>The name is owned by another node (ACT_ERR, 6).</summary>
    ActiveError = 6,

    /// <summary>The name is in conflict (CFT_ERR, 7).</summary>
    ConflictError = 7,
}
