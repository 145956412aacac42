namespace NetBios.Daemon;

/// <summary>
/// What each client may do, decided from its socket's peer credentials (SO_PEERCRED: the kernel's uid and gid of the
/// connecting process), never from anything the client sends (docs/IPC.md "Access"). Connecting at all is governed by
/// the socket file's mode and group (<see cref="NetBiosDaemonServerOptions.SocketMode"/>,
/// <see cref="NetBiosDaemonServerOptions.SocketGroup"/>). Root may everything.
/// </summary>
/// <remarks>Defaults: everyone may add names, listen and send broadcasts (what NetBIOS programs need); only root may
/// edit the WINS database. A refused NCB completes with NRC_NORESOURCES (0x38) before it starts.</remarks>
public sealed class NetBiosDaemonAccessPolicy
{
    /// <summary>Who may ADD NAME / ADD GROUP NAME. Defaults to everyone.</summary>
    public NetBiosDaemonAccessRule AddNames { get; set; } = new() { Everyone = true };

    /// <summary>Who may LISTEN. Defaults to everyone.</summary>
    public NetBiosDaemonAccessRule Listen { get; set; } = new() { Everyone = true };

    /// <summary>Who may SEND BROADCAST DATAGRAM. Defaults to everyone.</summary>
    public NetBiosDaemonAccessRule SendBroadcasts { get; set; } = new() { Everyone = true };

    /// <summary>Who may edit the WINS database. Defaults to root only.</summary>
    public NetBiosDaemonAccessRule EditWins { get; set; } = new();

    /// <summary>Who may manage the stations (CACHE PURGE, nbtstat -R). Defaults to root only.</summary>
    public NetBiosDaemonAccessRule ManageStation { get; set; } = new();

    /// <summary>What a peer with these credentials may do.</summary>
    /// <param name="userId">The peer's uid (from the kernel).</param>
    /// <param name="groupId">The peer's gid (from the kernel).</param>
    /// <returns>The permissions.</returns>
    public NetBiosDaemonPermissions PermissionsFor(uint userId, uint groupId) =>
        (AddNames.Allows(userId, groupId) ? NetBiosDaemonPermissions.AddNames : 0)
        | (Listen.Allows(userId, groupId) ? NetBiosDaemonPermissions.Listen : 0)
        | (SendBroadcasts.Allows(userId, groupId) ? NetBiosDaemonPermissions.SendBroadcasts : 0)
        | (EditWins.Allows(userId, groupId) ? NetBiosDaemonPermissions.EditWins : 0)
        | (ManageStation.Allows(userId, groupId) ? NetBiosDaemonPermissions.ManageStation : 0);
}
