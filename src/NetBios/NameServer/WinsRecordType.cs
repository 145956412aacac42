namespace NetBios.NameServer;

/// <summary>
/// What a name server record holds, as Windows WINS and Samba4's winsdb keep it (MS-WINSRA §2.2.10.1 "record type";
/// RFC 1002 §4.2.1.2 NB_FLAGS G bit for the unique/group split).
/// </summary>
public enum WinsRecordType : byte
{
    /// <summary>A unique name: one owner, one address.</summary>
    Unique = 0,

    /// <summary>A normal group: any number of members, queries answer 255.255.255.255.</summary>
    Group = 1,

    /// <summary>A special (Internet) group such as <c>&lt;1C&gt;</c>: up to 25 member addresses, each refreshed and expired on its own.</summary>
    SpecialGroup = 2,

    /// <summary>A multi-homed unique name (RFC 1002 opcode 0xF registrations): one owner with several addresses.</summary>
    MultiHomed = 3,
}
