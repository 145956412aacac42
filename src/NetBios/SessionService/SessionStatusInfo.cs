using System.Net;

namespace NetBios.SessionService;

/// <summary>A snapshot of one session, for NCB SESSION STATUS ([RFC 1001] 16).</summary>
/// <param name="Id">The session's number within its service (1, 2, …).</param>
/// <param name="LocalName">This side's name.</param>
/// <param name="RemoteName">The peer's name.</param>
/// <param name="State">The state.</param>
/// <param name="PendingReceives">Receives waiting on this session (RECEIVE ANY not counted).</param>
/// <param name="PendingSends">Sends not yet completed.</param>
/// <param name="RemoteEndPoint">The peer's address and port.</param>
/// <param name="IsCaller">True when this side called; false when it listened.</param>
public sealed record SessionStatusInfo(int Id, NetBiosName LocalName, NetBiosName RemoteName, SessionState State, int PendingReceives,
    int PendingSends, IPEndPoint RemoteEndPoint, bool IsCaller);
