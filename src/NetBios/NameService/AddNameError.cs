namespace NetBios.NameService;

/// <summary>Why a name could not be added to the local name table.</summary>
public enum AddNameError : byte
{
    /// <summary>Added.</summary>
    None,

    /// <summary>The name is already in the table (NRC_DUPNAME).</summary>
    Duplicate,

    /// <summary>The table is full (NRC_NAMTFUL).</summary>
    TableFull,

    /// <summary>The wildcard <c>*</c> cannot be added (NRC_NOWILD).</summary>
    Wildcard,
}
