using NetBios.NameService;

namespace NetBios.Daemon;

/// <summary>One entry of a daemon station's name cache (CACHE, docs/IPC.md "Administration operations"; like nbtstat -c).</summary>
/// <param name="Lana">The station's LANA.</param>
/// <param name="Name">The name.</param>
/// <param name="Answers">The cached addresses (each with group flag, node type and source); empty for a negative entry.</param>
/// <param name="IsNegative">A remembered "not found".</param>
/// <param name="IsPermanent">An LMHOSTS <c>#PRE</c> entry (never expires).</param>
/// <param name="ExpiresIn">Time left before it expires (<see cref="TimeSpan.MaxValue"/> when permanent).</param>
public sealed record NetBiosDaemonCacheEntry(byte Lana, NetBiosName Name, IReadOnlyList<NameQueryAnswer> Answers, bool IsNegative, bool IsPermanent,
    TimeSpan ExpiresIn);
