using System.Net;
using NetBios.SessionService;

namespace NetBios.Daemon;

/// <summary>A session as a CALL or LISTEN result describes it (docs/IPC.md "Station operations").</summary>
/// <param name="Handle">The client's handle for it (the session operations' first field).</param>
/// <param name="LocalName">This side's name.</param>
/// <param name="RemoteName">The peer's name.</param>
/// <param name="IsCaller">True when this side called.</param>
/// <param name="RemoteEndPoint">The peer's address and port.</param>
/// <param name="State">The state when it was reported.</param>
internal sealed record StationSessionInfo(uint Handle, NetBiosName LocalName, NetBiosName RemoteName, bool IsCaller, IPEndPoint RemoteEndPoint,
    SessionState State);
