using System.Net;

namespace NetBios.NameServer;

/// <summary>
/// Settings of a <see cref="WinsServer"/>. The defaults are those of Windows WINS (renewal interval 6 days, extinction
/// interval 4 days, extinction timeout 6 days, burst queue 500) and of Samba4's nbtd (minimum TTL 2 days).
/// </summary>
public sealed class WinsServerOptions
{
    /// <summary>The server's own address: the owner of the records it registers. Defaults to the endpoint's address.</summary>
    public IPAddress? OwnAddress { get; set; }

    /// <summary>The least TTL granted (a shorter request is raised to it); Samba4 <c>wins:min_renew_interval</c>, 2 days.</summary>
    public TimeSpan MinimumTtl { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The greatest TTL granted, the Windows renewal interval: 6 days.</summary>
    public TimeSpan MaximumTtl { get; set; } = TimeSpan.FromDays(6);

    /// <summary>How long a released (or expired) record stays released before it becomes a tombstone (Windows
    /// extinction interval, 4 days).</summary>
    public TimeSpan ExtinctionInterval { get; set; } = TimeSpan.FromDays(4);

    /// <summary>How long a tombstone is kept before the scavenger deletes it (Windows extinction timeout, 6 days).</summary>
    public TimeSpan ExtinctionTimeout { get; set; } = TimeSpan.FromDays(6);

    /// <summary>How often the scavenger sweeps the records that are due (1 hour).</summary>
    public TimeSpan ScavengeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Name queries sent to the old owner of a unique name before it is handed over (Windows: 3).</summary>
    public int ChallengeAttempts { get; set; } = 3;

    /// <summary>How long each challenge query waits for the old owner's answer (Windows: 500 ms; 1 s here).</summary>
    public TimeSpan ChallengeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The UDP port challenge queries go to (137; tests point it elsewhere).</summary>
    public int ChallengePort { get; set; } = 137;

    /// <summary>Registrations, refreshes and releases in progress from which on the server is in burst mode: a
    /// registration gets an immediate positive answer with a short TTL (Windows burst queue size, 500).</summary>
    public int BurstThreshold { get; set; } = 500;

    /// <summary>The TTL of the first burst answers (Windows: 5 minutes).</summary>
    public TimeSpan BurstMinimumTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest burst TTL: each further <see cref="BurstStep"/> requests past the threshold add
    /// <see cref="BurstMinimumTtl"/>, up to this (Windows: 50 minutes).</summary>
    public TimeSpan BurstMaximumTtl { get; set; } = TimeSpan.FromMinutes(50);

    /// <summary>How many burst answers share one TTL before it grows (Windows: 100).</summary>
    public int BurstStep { get; set; } = 100;

    /// <summary>Most members of a special group (<c>&lt;1C&gt;</c>): 25 (MS-WINSRA, Windows and Samba4).</summary>
    public int MaxSpecialGroupMembers { get; set; } = 25;

    /// <summary>Times a write is decided again after another server changed the record in between (version check).</summary>
    public int WriteConflictRetries { get; set; } = 3;

    /// <summary>A program run on every change, as Samba's <c>wins hook</c>: <c>PROGRAM add|refresh|delete NAME TYPE
    /// TTL IP…</c>, arguments passed as a vector, never through a shell. Null for none.</summary>
    public string? HookProgram { get; set; }

    /// <summary>How long one hook run may take before it is killed (10 s).</summary>
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Hook runs waiting at most; further changes are not reported (counted in
    /// <see cref="WinsServerStatistics.HookDropped"/>).</summary>
    public int HookQueueLength { get; set; } = 256;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (MinimumTtl <= TimeSpan.Zero || MaximumTtl < MinimumTtl || MaximumTtl.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentException("need 0 < MinimumTtl <= MaximumTtl <= 2^32-1 s", nameof(MinimumTtl));
        }

        if (ExtinctionInterval <= TimeSpan.Zero || ExtinctionTimeout <= TimeSpan.Zero || ScavengeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("extinction interval and timeout and the scavenge interval must be positive", nameof(ExtinctionInterval));
        }

        if (ChallengeAttempts < 1 || ChallengeTimeout <= TimeSpan.Zero || ChallengePort is < 1 or > 65535)
        {
            throw new ArgumentException("need at least one challenge attempt, a positive timeout and a port 1..65535", nameof(ChallengeAttempts));
        }

        if (BurstThreshold < 0 || BurstStep < 1 || BurstMinimumTtl <= TimeSpan.Zero || BurstMaximumTtl < BurstMinimumTtl)
        {
            throw new ArgumentException("need BurstThreshold >= 0, BurstStep >= 1, 0 < BurstMinimumTtl <= BurstMaximumTtl", nameof(BurstThreshold));
        }

        if (MaxSpecialGroupMembers is < 1 or > 255 || WriteConflictRetries is < 0 or > 100)
        {
            throw new ArgumentException("MaxSpecialGroupMembers must be 1..255 and WriteConflictRetries 0..100", nameof(MaxSpecialGroupMembers));
        }

        if (HookTimeout <= TimeSpan.Zero || HookQueueLength < 1)
        {
            throw new ArgumentException("HookTimeout and HookQueueLength must be positive", nameof(HookTimeout));
        }
    }
}
