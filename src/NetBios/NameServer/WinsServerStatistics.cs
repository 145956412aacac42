namespace NetBios.NameServer;

/// <summary>Counters of a <see cref="WinsServer"/>; updated concurrently, reads are approximate while it runs.</summary>
public sealed class WinsServerStatistics
{
    internal long QueriesField;
    internal long QueriesNotFoundField;
    internal long RegistrationsField;
    internal long RefreshesField;
    internal long RejectedField;
    internal long ReleasesField;
    internal long ReleasesIgnoredField;
    internal long ChallengesField;
    internal long ChallengesKeptField;
    internal long ChallengesHandedOverField;
    internal long ResendsAbsorbedField;
    internal long BurstAnswersField;
    internal long VersionConflictsField;
    internal long StoreFailuresField;
    internal long ScavengedField;
    internal long HookRunsField;
    internal long HookFailuresField;
    internal long HookDroppedField;

    /// <summary>Name queries answered positively.</summary>
    public long Queries => Interlocked.Read(ref QueriesField);

    /// <summary>Name queries answered NAM_ERR.</summary>
    public long QueriesNotFound => Interlocked.Read(ref QueriesNotFoundField);

    /// <summary>Registrations (new names, group members, handed-over names) written and acknowledged.</summary>
    public long Registrations => Interlocked.Read(ref RegistrationsField);

    /// <summary>Refreshes (and re-registrations by a holder) that extended a record.</summary>
    public long Refreshes => Interlocked.Read(ref RefreshesField);

    /// <summary>Registrations answered negatively (ACT_ERR, RFS_ERR, SRV_ERR).</summary>
    public long Rejected => Interlocked.Read(ref RejectedField);

    /// <summary>Releases by a holder that changed a record.</summary>
    public long Releases => Interlocked.Read(ref ReleasesField);

    /// <summary>Releases from an address that holds no part of the name: answered positively, nothing changed.</summary>
    public long ReleasesIgnored => Interlocked.Read(ref ReleasesIgnoredField);

    /// <summary>Old owners challenged (WACK sent, name queries to the owner).</summary>
    public long Challenges => Interlocked.Read(ref ChallengesField);

    /// <summary>Challenges the old owner answered: it kept the name.</summary>
    public long ChallengesKept => Interlocked.Read(ref ChallengesKeptField);

    /// <summary>Challenges without an answer: the name went to the requester.</summary>
    public long ChallengesHandedOver => Interlocked.Read(ref ChallengesHandedOverField);

    /// <summary>Resent requests absorbed while their WACK was pending.</summary>
    public long ResendsAbsorbed => Interlocked.Read(ref ResendsAbsorbedField);

    /// <summary>Registrations answered at once with a short TTL in burst mode.</summary>
    public long BurstAnswers => Interlocked.Read(ref BurstAnswersField);

    /// <summary>Writes refused by the store's version check (another server changed the record) and decided again.</summary>
    public long VersionConflicts => Interlocked.Read(ref VersionConflictsField);

    /// <summary>Store operations that failed (answered SRV_ERR, or skipped by the scavenger).</summary>
    public long StoreFailures => Interlocked.Read(ref StoreFailuresField);

    /// <summary>Records moved on (released, tombstoned, deleted) or members expired by the scavenger.</summary>
    public long Scavenged => Interlocked.Read(ref ScavengedField);

    /// <summary>Hook program runs started.</summary>
    public long HookRuns => Interlocked.Read(ref HookRunsField);

    /// <summary>Hook runs that failed to start, exited non-zero or were killed at the timeout.</summary>
    public long HookFailures => Interlocked.Read(ref HookFailuresField);

    /// <summary>Changes not reported to the hook because its queue was full.</summary>
    public long HookDropped => Interlocked.Read(ref HookDroppedField);
}
