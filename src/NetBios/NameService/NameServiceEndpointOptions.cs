namespace NetBios.NameService;

/// <summary>
/// Settings of a <see cref="NameServiceEndpoint"/>: the per-source limit on answers larger than their requests (the
/// amplification defence) and the interval of its rate-limited logs.
/// </summary>
/// <remarks>
/// An answer is limited when it is longer than the request it answers: a node status response (a 50-byte request, a
/// 100–600-byte answer) and a NAM_ERR negative query response (56 bytes for a 50-byte query). Not limited: a defence
/// (negative registration response, 62 bytes) is shorter than the registration it answers (68 bytes); a positive name
/// query response (62 bytes for a 50-byte query: the name again, TTL, RDLENGTH and one NB entry) is what the service is
/// for, 1.24× its query, and limiting it per source would cut off genuine heavy queriers. Beyond the burst a source
/// therefore gets at most <see cref="AnswersPerSecond"/> limited answers of at most 576 bytes a second, whatever it
/// sends; a spoofed flood of queries for a name held here is reflected at 1.24× at most.
/// </remarks>
public sealed class NameServiceEndpointOptions
{
    /// <summary>Answers larger than their request that one source address may get at once. Defaults to 10.</summary>
    public int AnswerBurst { get; set; } = 10;

    /// <summary>Answers larger than their request that one source address may get per second after the burst. Defaults to 5.</summary>
    public double AnswersPerSecond { get; set; } = 5;

    /// <summary>Most source addresses with a bucket of their own (about 100 bytes each); new sources beyond it share
    /// one bucket until buckets that have refilled are swept out. Defaults to 4096.</summary>
    public int MaxRateLimitedSources { get; set; } = 4096;

    /// <summary>Shortest time between two lines of a repeated event (malformed or unsolicited packets, defences,
    /// claims that failed verification); each line carries the count since the last. Defaults to 10 s.</summary>
    public TimeSpan RepeatedEventLogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (AnswerBurst < 1 || !(AnswersPerSecond > 0) || MaxRateLimitedSources < 1)
        {
            throw new ArgumentException("AnswerBurst, AnswersPerSecond and MaxRateLimitedSources must be positive");
        }

        if (RepeatedEventLogInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("RepeatedEventLogInterval must not be negative", nameof(RepeatedEventLogInterval));
        }
    }
}
