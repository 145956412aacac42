namespace NetBios.Wire.NameService;

/// <summary>The packet kinds of [RFC 1002] 4.2.2–4.2.18, recognised from opcode, flags, RCODE and shape.</summary>
public enum NameServicePacketKind : byte
{
    /// <summary>No kind: the opcode is unknown or the shape does not fit the opcode (e.g. a registration without its NB record).</summary>
    Unknown,

    /// <summary>[RFC 1002] 4.2.2 NAME REGISTRATION REQUEST (RD = 1).</summary>
    NameRegistrationRequest,

    /// <summary>[RFC 1002] 4.2.3 NAME OVERWRITE REQUEST &amp; DEMAND (registration with RD = 0).</summary>
    NameOverwriteRequest,

    /// <summary>[RFC 1002] 4.2.4 NAME REFRESH REQUEST (opcode 8, or 9 as Windows and Samba send).</summary>
    NameRefreshRequest,

    /// <summary>[MS-NBTE] 2.2.1 multi-homed NAME REGISTRATION REQUEST (opcode 0xF).</summary>
    MultiHomedRegistrationRequest,

    /// <summary>[RFC 1002] 4.2.5 POSITIVE NAME REGISTRATION RESPONSE.</summary>
    PositiveRegistrationResponse,

    /// <summary>[RFC 1002] 4.2.6 NEGATIVE NAME REGISTRATION RESPONSE (RCODE FMT/SRV/IMP/RFS/ACT).</summary>
    NegativeRegistrationResponse,

    /// <summary>[RFC 1002] 4.2.7 END-NODE CHALLENGE REGISTRATION RESPONSE (RCODE 0, AA = 1, RD = 1, RA = 0).</summary>
    EndNodeChallengeRegistrationResponse,

    /// <summary>[RFC 1002] 4.2.8 NAME CONFLICT DEMAND (registration response with RCODE CFT_ERR).</summary>
    NameConflictDemand,

    /// <summary>[RFC 1002] 4.2.9 NAME RELEASE REQUEST &amp; DEMAND.</summary>
    NameReleaseRequest,

    /// <summary>[RFC 1002] 4.2.10 POSITIVE NAME RELEASE RESPONSE.</summary>
    PositiveReleaseResponse,

    /// <summary>[RFC 1002] 4.2.11 NEGATIVE NAME RELEASE RESPONSE.</summary>
    NegativeReleaseResponse,

    /// <summary>[RFC 1002] 4.2.12 NAME QUERY REQUEST.</summary>
    NameQueryRequest,

    /// <summary>[RFC 1002] 4.2.13 POSITIVE NAME QUERY RESPONSE.</summary>
    PositiveQueryResponse,

    /// <summary>[RFC 1002] 4.2.14 NEGATIVE NAME QUERY RESPONSE.</summary>
    NegativeQueryResponse,

    /// <summary>[RFC 1002] 4.2.15 REDIRECT NAME QUERY RESPONSE (NS and A records naming another NBNS).</summary>
    RedirectQueryResponse,

    /// <summary>[RFC 1002] 4.2.16 WAIT FOR ACKNOWLEDGEMENT (WACK) RESPONSE.</summary>
    WaitForAcknowledgementResponse,

    /// <summary>[RFC 1002] 4.2.17 NODE STATUS REQUEST.</summary>
    NodeStatusRequest,

    /// <summary>[RFC 1002] 4.2.18 NODE STATUS RESPONSE.</summary>
    NodeStatusResponse,
}
