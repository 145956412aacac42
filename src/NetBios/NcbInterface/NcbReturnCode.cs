namespace NetBios.NcbInterface;

/// <summary>NCB return codes, NRC_* (nb30.h; IBM NetBIOS 3.0).</summary>
#pragma warning disable CA1028 // the wire value is a byte
public enum NcbReturnCode : byte
#pragma warning restore CA1028
{
    /// <summary>NRC_GOODRET: success.</summary>
    GoodReturn = 0x00,

    /// <summary>NRC_BUFLEN: illegal buffer length.</summary>
    BufferLength = 0x01,

    /// <summary>NRC_ILLCMD: invalid command.</summary>
    IllegalCommand = 0x03,

    /// <summary>NRC_CMDTMO: command timed out.</summary>
    CommandTimedOut = 0x05,

    /// <summary>NRC_INCOMP: message incomplete; issue another command for the rest.</summary>
    Incomplete = 0x06,

    /// <summary>NRC_BADDR: illegal buffer address.</summary>
    BadBufferAddress = 0x07,

    /// <summary>NRC_SNUMOUT: session number out of range.</summary>
    SessionNumberOutOfRange = 0x08,

    /// <summary>NRC_NORES: no resource available.</summary>
    NoResources = 0x09,

    /// <summary>NRC_SCLOSED: session closed.</summary>
    SessionClosed = 0x0A,

    /// <summary>NRC_CMDCAN: command cancelled.</summary>
    CommandCancelled = 0x0B,

    /// <summary>NRC_DUPNAME: duplicate name in the local name table.</summary>
    DuplicateName = 0x0D,

    /// <summary>NRC_NAMTFUL: name table full.</summary>
    NameTableFull = 0x0E,

    /// <summary>NRC_ACTSES: the name has active sessions; it is deregistered when they close.</summary>
    ActiveSessions = 0x0F,

    /// <summary>NRC_LOCTFUL: local session table full.</summary>
    LocalSessionTableFull = 0x11,

    /// <summary>NRC_REMTFUL: remote session table full (the remote name is not listening).</summary>
    RemoteSessionTableFull = 0x12,

    /// <summary>NRC_ILLNN: illegal name number.</summary>
    IllegalNameNumber = 0x13,

    /// <summary>NRC_NOCALL: no answer (the called name was not found).</summary>
    NoCall = 0x14,

    /// <summary>NRC_NOWILD: name not found, or <c>*</c> / 0x00 not allowed in the name.</summary>
    NoWildcard = 0x15,

    /// <summary>NRC_INUSE: name in use on a remote adapter.</summary>
    NameInUse = 0x16,

    /// <summary>NRC_NAMERR: name deleted.</summary>
    NameDeleted = 0x17,

    /// <summary>NRC_SABORT: session ended abnormally.</summary>
    SessionAborted = 0x18,

    /// <summary>NRC_NAMCONF: name conflict detected.</summary>
    NameConflict = 0x19,

    /// <summary>NRC_IFBUSY: interface busy.</summary>
    InterfaceBusy = 0x21,

    /// <summary>NRC_TOOMANY: too many commands outstanding.</summary>
    TooManyCommands = 0x22,

    /// <summary>NRC_BRIDGE: the LANA number is invalid.</summary>
    InvalidLana = 0x23,

    /// <summary>NRC_CANOCCR: the command completed while the cancel was occurring.</summary>
    CancelOccurred = 0x24,

    /// <summary>NRC_CANCEL: the command is not valid to cancel.</summary>
    NotCancellable = 0x26,

    /// <summary>NRC_DUPENV: name defined by another local process.</summary>
    DuplicateEnvironment = 0x30,

    /// <summary>NRC_ENVNOTDEF: environment undefined; RESET required.</summary>
    EnvironmentNotDefined = 0x34,

    /// <summary>NRC_OSRESNOTAV: required OS resources exhausted.</summary>
    OsResourcesNotAvailable = 0x35,

    /// <summary>NRC_MAXAPPS: maximum number of applications exceeded.</summary>
    MaxApplications = 0x36,

    /// <summary>NRC_NOSAPS: no SAPs available.</summary>
    NoSaps = 0x37,

    /// <summary>NRC_NORESOURCES: requested resources not available.</summary>
    NoResourcesAvailable = 0x38,

    /// <summary>NRC_INVADDRESS: invalid NCB address or length.</summary>
    InvalidAddress = 0x39,

    /// <summary>NRC_INVDDID: invalid NCB DDID.</summary>
    InvalidDdid = 0x3B,

    /// <summary>NRC_LOCKFAIL: locking the user area failed.</summary>
    LockFailed = 0x3C,

    /// <summary>NRC_OPENERR: NetBIOS not loaded.</summary>
    OpenError = 0x3F,

    /// <summary>NRC_SYSTEM: system error.</summary>
    SystemError = 0x40,

    /// <summary>DOS INT 5Ch: no NetBIOS (emulator) loaded (what Wine's int5c stub answers).</summary>
    NotLoaded = 0xFB,

    /// <summary>NRC_PENDING: an asynchronous command is not finished yet.</summary>
    Pending = 0xFF,
}
