namespace NetBios.NameService;

/// <summary>Counters of a <see cref="NameServiceNode"/>. Updated by the receive loop; reads are approximate while it runs.</summary>
public sealed class NameServiceStatistics
{
    /// <summary>Datagrams received.</summary>
    public long Received { get; internal set; }

    /// <summary>Datagrams sent.</summary>
    public long Sent { get; internal set; }

    /// <summary>Datagrams dropped because they did not decode.</summary>
    public long Malformed { get; internal set; }

    /// <summary>Responses that matched no outstanding request (or failed the source/name check).</summary>
    public long Unsolicited { get; internal set; }

    /// <summary>Name queries answered positively.</summary>
    public long QueriesAnswered { get; internal set; }

    /// <summary>Node status requests answered.</summary>
    public long NodeStatusAnswered { get; internal set; }

    /// <summary>Registrations or refreshes of our names by others that we answered with ACT_ERR.</summary>
    public long Defences { get; internal set; }

    /// <summary>Answers longer than their request that were not sent because their destination had used up its
    /// rate limit (<see cref="NameServiceEndpointOptions"/>).</summary>
    public long AnswersRateLimited { get; internal set; }

    /// <summary>Negative registration responses and conflict demands that the claimed owner did not confirm, so the
    /// name was kept.</summary>
    public long UnconfirmedClaims { get; internal set; }
}
