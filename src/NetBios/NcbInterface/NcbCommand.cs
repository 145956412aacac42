namespace NetBios.NcbInterface;

/// <summary>
/// NCB command codes (docs/NCB.md §2, IBM NetBIOS 3.0, Win32 nb30.h). Bit 7 (<see cref="Asynchronous"/>) makes any of them
/// asynchronous ("no-wait").
/// </summary>
#pragma warning disable CA1028 // the wire value is a byte
#pragma warning disable CA1027 // not flags: only the ASYNCH bit combines, through Ncb.IsAsynchronous
public enum NcbCommand : byte
#pragma warning restore CA1027
#pragma warning restore CA1028
{
    /// <summary>NCBCALL: open a session with the call name from a local name.</summary>
    Call = 0x10,

    /// <summary>NCBLISTEN: wait for a call from the call name (<c>*</c> = anyone) to a local name.</summary>
    Listen = 0x11,

    /// <summary>NCBHANGUP: close a session.</summary>
    Hangup = 0x12,

    /// <summary>NCBSEND: send a message on a session.</summary>
    Send = 0x14,

    /// <summary>NCBRECV: receive a message on a session (NRC_INCOMP when the buffer is too small).</summary>
    Receive = 0x15,

    /// <summary>NCBRECVANY: receive on any session of a name (0xFF: of any name).</summary>
    ReceiveAny = 0x16,

    /// <summary>NCBCHAINSEND: send two buffers as one message.</summary>
    ChainSend = 0x17,

    /// <summary>NCBDGSEND: send a datagram to a name.</summary>
    DatagramSend = 0x20,

    /// <summary>NCBDGRECV: receive a datagram for a name (0xFF: for any name).</summary>
    DatagramReceive = 0x21,

    /// <summary>NCBDGSENDBC: send a broadcast datagram.</summary>
    DatagramSendBroadcast = 0x22,

    /// <summary>NCBDGRECVBC: receive a broadcast datagram.</summary>
    DatagramReceiveBroadcast = 0x23,

    /// <summary>NCBADDNAME: add a unique name.</summary>
    AddName = 0x30,

    /// <summary>NCBDELNAME: delete a name.</summary>
    DeleteName = 0x31,

    /// <summary>NCBRESET: reset the adapter, (re)allocating sessions, commands and names.</summary>
    Reset = 0x32,

    /// <summary>NCBASTAT: adapter status of this station (<c>*</c>) or a remote one.</summary>
    AdapterStatus = 0x33,

    /// <summary>NCBSSTAT: session status of a local name (<c>*</c>: all).</summary>
    SessionStatus = 0x34,

    /// <summary>NCBCANCEL: cancel a pending command.</summary>
    Cancel = 0x35,

    /// <summary>NCBADDGRNAME: add a group name.</summary>
    AddGroupName = 0x36,

    /// <summary>NCBENUM: enumerate the LANA numbers (Win32).</summary>
    Enumerate = 0x37,

    /// <summary>NCBUNLINK: unlink from a remote boot server (a no-op, as on Windows NT).</summary>
    Unlink = 0x70,

    /// <summary>NCBSENDNA: send without waiting for an acknowledgement.</summary>
    SendNoAck = 0x71,

    /// <summary>NCBCHAINSENDNA: chain send without waiting for an acknowledgement.</summary>
    ChainSendNoAck = 0x72,

    /// <summary>NCBLANSTALERT: LAN status alert.</summary>
    LanStatusAlert = 0x73,

    /// <summary>NCBACTION: transport-specific extension.</summary>
    Action = 0x77,

    /// <summary>NCBFINDNAME: find the stations that own a name.</summary>
    FindName = 0x78,

    /// <summary>NCBTRACE: trace.</summary>
    Trace = 0x79,

    /// <summary>ASYNCH (0x80): OR-ed into any command to make it asynchronous.</summary>
    Asynchronous = 0x80,
}
