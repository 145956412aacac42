namespace NetBios.Daemon;

/// <summary>The message types of the nbtd local IPC protocol (docs/IPC.md "Messages"). Client to daemon below 0x8000,
/// daemon to client from 0x8000.</summary>
internal enum DaemonMessageType : ushort
{
    /// <summary>HELLO (client, first message): magic, protocol major and minor version.</summary>
    Hello = 0x0001,

    /// <summary>NCB SUBMIT (client): one NCB's fields and the bytes it sends; the request id names the NCB.</summary>
    NcbSubmit = 0x0010,

    /// <summary>REQUEST (client, version 1.1): an operation code and its body; the request id names it. The daemon
    /// answers exactly one RESPONSE with the same id.</summary>
    Request = 0x0020,

    /// <summary>REQUEST CANCEL (client, version 1.1): cancels the pending REQUEST named by the request id (its RESPONSE
    /// then says Cancelled, unless it had finished); an id that is not pending is ignored.</summary>
    RequestCancel = 0x0021,

    /// <summary>WELCOME (daemon, answer to HELLO): version, limits, LANAs, the client's credentials and permissions.</summary>
    Welcome = 0x8001,

    /// <summary>ERROR (daemon): a code and a text; the daemon closes the connection after it.</summary>
    Error = 0x8002,

    /// <summary>NCB ACCEPTED (daemon): a no-wait NCB passed the checks before it starts and now runs.</summary>
    NcbAccepted = 0x8010,

    /// <summary>NCB COMPLETE (daemon): an NCB's final code and result fields (+ the bytes it received).</summary>
    NcbComplete = 0x8011,

    /// <summary>RESPONSE (daemon, version 1.1): a REQUEST's status and result body.</summary>
    Response = 0x8020,
}
