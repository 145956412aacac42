using System.Net;
using NetBios.SessionService;

namespace NetBios.Daemon;

/// <summary>One session of a daemon station (SESSIONS, docs/IPC.md "Administration operations"; like nbtstat -s).</summary>
/// <param name="Lana">The station's LANA.</param>
/// <param name="Id">The session service's id of the session.</param>
/// <param name="LocalName">The local name.</param>
/// <param name="RemoteName">The remote name.</param>
/// <param name="RemoteEndPoint">The remote TCP endpoint.</param>
/// <param name="State">Established, hang-up pending, closed or aborted.</param>
/// <param name="IsCaller">True when this station called (outbound), false when it accepted (inbound).</param>
/// <param name="PendingReceives">Receives waiting for a message now.</param>
/// <param name="PendingSends">Sends not yet written now.</param>
/// <param name="Holder">Whose session: a client's (NCB CALL / LISTEN) or the station's (any other).</param>
/// <param name="ProcessId">The owning client's pid, else 0.</param>
/// <param name="UserId">The owning client's uid, else 0.</param>
/// <param name="MessagesSent">SESSION MESSAGEs ([RFC 1002] 4.3.6) sent since the session started (sends completed Ok).</param>
/// <param name="BytesSent">Payload bytes of those messages.</param>
/// <param name="MessagesReceived">SESSION MESSAGEs received whole (delivered to receives).</param>
/// <param name="BytesReceived">Payload bytes delivered to receives.</param>
public sealed record NetBiosDaemonSessionInfo(byte Lana, int Id, NetBiosName LocalName, NetBiosName RemoteName, IPEndPoint? RemoteEndPoint,
    SessionState State, bool IsCaller, int PendingReceives, int PendingSends, NetBiosDaemonNameHolder Holder, int ProcessId, uint UserId,
    long MessagesSent = 0, long BytesSent = 0, long MessagesReceived = 0, long BytesReceived = 0);
