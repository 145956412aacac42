namespace NetBios.NameService;

/// <summary>Counters of a <see cref="NameServiceNode"/>. Updated by the receive loop; reads are approximate while it runs.</summary>
public sealed class NameServiceStatistics
{
    private readonly long[] _registrations = new long[(int)RegistrationOutcome.Timeout + 1];

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

    /// <summary>Registrations of this node's own names (<see cref="NameServiceNode.RegisterAsync"/>) that ended with
    /// <paramref name="outcome"/>; a registration that ends in <see cref="RegistrationOutcome.Conflict"/> is a name conflict.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The count since the node started (0 for an unknown outcome).</returns>
    public long GetRegistrations(RegistrationOutcome outcome) =>
        (int)outcome < _registrations.Length ? Interlocked.Read(ref _registrations[(int)outcome]) : 0;

    internal void OnRegistration(RegistrationOutcome outcome)
    {
        if ((int)outcome < _registrations.Length)
        {
            Interlocked.Increment(ref _registrations[(int)outcome]);
        }
    }
}
