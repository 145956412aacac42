namespace NetBios.NameServer;

/// <summary>
/// The life of a name server record (MS-WINSRA §2.2.10.1 "record state"): active while registered and refreshed,
/// released when its owner releases it or it is not refreshed, tombstone until every replica has seen the release,
/// then deleted by the scavenger.
/// </summary>
public enum WinsRecordState : byte
{
    /// <summary>Registered; answers queries.</summary>
    Active = 0,

    /// <summary>Released by its owner or expired; does not answer queries, may be taken by anyone.</summary>
    Released = 1,

    /// <summary>Kept only to tell replicas it is gone; deleted when it expires.</summary>
    Tombstone = 2,
}
