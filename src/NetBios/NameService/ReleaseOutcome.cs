namespace NetBios.NameService;

/// <summary>How a release of a name went (RFC 1002 §5.1.1.5, §5.1.2.5).</summary>
public enum ReleaseOutcome
{
    /// <summary>The name server confirmed the release (positive NAME RELEASE RESPONSE).</summary>
    Released,

    /// <summary>The name server refused it (negative response: the name is not ours, or not registered).</summary>
    Refused,

    /// <summary>The name server never answered.</summary>
    Timeout,

    /// <summary>No name server: the release was broadcast, which nobody answers.</summary>
    Broadcast,
}
