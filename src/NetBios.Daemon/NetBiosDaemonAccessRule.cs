namespace NetBios.Daemon;

/// <summary>Who may do one thing the access policy guards (docs/IPC.md "Access"): everyone, or the listed uids and gids.
/// Root (uid 0) always may.</summary>
public sealed class NetBiosDaemonAccessRule
{
    /// <summary>True when every client may. Defaults to false.</summary>
    public bool Everyone { get; set; }

    /// <summary>The uids that may (beyond root).</summary>
    public ISet<uint> UserIds { get; } = new HashSet<uint>();

    /// <summary>The gids whose members (by the peer's primary gid, as SO_PEERCRED reports it) may.</summary>
    public ISet<uint> GroupIds { get; } = new HashSet<uint>();

    /// <summary>Whether a peer with these credentials may.</summary>
    /// <param name="userId">The peer's uid (from the kernel).</param>
    /// <param name="groupId">The peer's gid (from the kernel).</param>
    /// <returns>True when allowed.</returns>
    public bool Allows(uint userId, uint groupId) => Everyone || userId == 0 || UserIds.Contains(userId) || GroupIds.Contains(groupId);
}
