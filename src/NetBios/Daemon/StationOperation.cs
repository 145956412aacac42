namespace NetBios.Daemon;

/// <summary>The station operations of protocol 1.1 (docs/IPC.md "Station operations (0x0100-0x01FF)"): the
/// <see cref="Station.INetBiosStation"/> API carried as REQUESTs. Each body starts with the LANA (station operations)
/// or the client's session handle (session operations).</summary>
internal enum StationOperation : ushort
{
    /// <summary>The station's address and node type.</summary>
    Info = 0x0100,

    /// <summary>ADD NAME ([RFC 1001] 15.2): needs the AddNames permission.</summary>
    AddName = 0x0101,

    /// <summary>ADD GROUP NAME ([RFC 1001] 15.2): needs the AddNames permission.</summary>
    AddGroupName = 0x0102,

    /// <summary>DELETE NAME ([RFC 1001] 15.5) of a name this client added.</summary>
    DeleteName = 0x0103,

    /// <summary>The names this client may use.</summary>
    ListNames = 0x0104,

    /// <summary>NAME QUERY ([RFC 1001] 15.1.3).</summary>
    Query = 0x0105,

    /// <summary>NODE STATUS ([RFC 1002] 4.2.17).</summary>
    NodeStatus = 0x0106,

    /// <summary>DIRECT_UNIQUE / DIRECT_GROUP datagram ([RFC 1002] 4.4.1).</summary>
    SendDatagram = 0x0107,

    /// <summary>BROADCAST datagram ([RFC 1002] 4.4.1): needs the SendBroadcasts permission.</summary>
    SendBroadcast = 0x0108,

    /// <summary>Waits for one datagram ([RFC 1001] 17).</summary>
    ReceiveDatagram = 0x0109,

    /// <summary>Calls a name ([RFC 1002] 5.3.2).</summary>
    Call = 0x010A,

    /// <summary>Waits for a call ([RFC 1002] 5.3.1): needs the Listen permission.</summary>
    Listen = 0x010B,

    /// <summary>SESSION MESSAGE ([RFC 1002] 4.3.6) on one of the client's sessions.</summary>
    SessionSend = 0x010C,

    /// <summary>Receives (a piece of) a message ([RFC 1002] 5.3.3) on one of the client's sessions.</summary>
    SessionReceive = 0x010D,

    /// <summary>Hangs up ([RFC 1002] 5.3.4) one of the client's sessions.</summary>
    HangUp = 0x010E,

    /// <summary>The state of one of the client's sessions ([RFC 1001] 16, NCB SESSION STATUS).</summary>
    SessionStatus = 0x010F,

    /// <summary>Aborts one of the client's sessions (a TCP reset).</summary>
    SessionAbort = 0x0110,

    /// <summary>Waits until one of the client's sessions has ended.</summary>
    SessionWait = 0x0111,
}
