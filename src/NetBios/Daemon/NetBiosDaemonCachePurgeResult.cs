namespace NetBios.Daemon;

/// <summary>What CACHE PURGE (nbtstat -R) did on one station (docs/IPC.md "Administration operations").</summary>
/// <param name="Lana">The station's LANA.</param>
/// <param name="Purged">Entries dropped (preloads included).</param>
/// <param name="Preloaded">LMHOSTS <c>#PRE</c> entries loaded again.</param>
public sealed record NetBiosDaemonCachePurgeResult(byte Lana, int Purged, int Preloaded);
