namespace NetBios.Wire.NameService;

/// <summary>[RFC 1002] 4.2.1.2–4.2.1.3: QUESTION_TYPE and RR_TYPE values.</summary>
public enum RecordType : ushort
{
    /// <summary>IP address (A, 0x0001), in redirect responses.</summary>
    A = 0x0001,

    /// <summary>Name server (NS, 0x0002), in redirect responses.</summary>
    NS = 0x0002,

    /// <summary>NULL (0x000A): empty RR in negative query responses and (nmbd) WACKs.</summary>
    Null = 0x000A,

    /// <summary>NetBIOS general name service resource record (NB, 0x0020).</summary>
    NB = 0x0020,

    /// <summary>NetBIOS node status resource record (NBSTAT, 0x0021).</summary>
    NBStat = 0x0021,
}
