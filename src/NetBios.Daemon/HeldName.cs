namespace NetBios.Daemon;

/// <summary>A name the daemon holds for <c>nbt register</c> (HOLD NAME, docs/IPC.md "Administration operations").</summary>
/// <param name="Lana">The station's LANA.</param>
/// <param name="Name">The name, scope applied (as in the station's table).</param>
/// <param name="IsGroup">A group name.</param>
/// <param name="UserId">The uid of the client that asked (it or root may release it).</param>
/// <param name="ProcessId">The pid of the client that asked (for the log).</param>
internal sealed record HeldName(byte Lana, NetBiosName Name, bool IsGroup, uint UserId, int ProcessId);
