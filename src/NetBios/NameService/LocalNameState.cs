namespace NetBios.NameService;

/// <summary>The life of a name in the local name table (RFC 1001 §15.1; NCB NAME_BUFFER name_flags).</summary>
public enum LocalNameState : byte
{
    /// <summary>Registration is in progress; the name is not yet usable (NCB REGISTERING 0x00).</summary>
    Registering,

    /// <summary>Registered and defended (NCB REGISTERED 0x04).</summary>
    Registered,

    /// <summary>Being released: deleted while sessions were active, it goes when they end (NCB DEREGISTERED 0x05).</summary>
    Deregistered,

    /// <summary>
    /// In conflict: another node owns the name. "The name does not logically exist on that node" (RFC 1001 §15.1.3.5):
    /// it is no longer defended, answered or refreshed (NCB DUPLICATE 0x06).
    /// </summary>
    Conflict,
}
