namespace NetBios.Daemon;

/// <summary>WELCOME (docs/IPC.md): what the daemon tells a client after HELLO.</summary>
/// <param name="MajorVersion">The daemon's protocol major version.</param>
/// <param name="MinorVersion">The daemon's protocol minor version.</param>
/// <param name="MaxMessageLength">The largest message the daemon accepts, header included.</param>
/// <param name="MaxPendingNcbs">The most NCBs the client may have pending at once (more complete with NRC_TOOMANY).</param>
/// <param name="ProcessId">The client's process id as the kernel reported it (SO_PEERCRED).</param>
/// <param name="UserId">The client's uid as the kernel reported it.</param>
/// <param name="GroupId">The client's gid as the kernel reported it.</param>
/// <param name="Permissions">What the access policy allows this client.</param>
/// <param name="Lanas">The LANA numbers the daemon serves, ascending.</param>
internal sealed record DaemonWelcome(ushort MajorVersion, ushort MinorVersion, int MaxMessageLength, int MaxPendingNcbs, int ProcessId,
    uint UserId, uint GroupId, NetBiosDaemonPermissions Permissions, IReadOnlyList<byte> Lanas);
