namespace NetBios.Diagnostics;

/// <summary>One value of one instrument of <see cref="NetBiosMetrics"/> at the moment of a snapshot.</summary>
/// <param name="Instrument">The instrument's name, e.g. <c>netbios.name.queries_answered</c>.</param>
/// <param name="Unit">The instrument's unit in UCUM curly-brace form, e.g. <c>{query}</c>.</param>
/// <param name="Kind">Whether the value only grows (a counter) or goes up and down (a gauge).</param>
/// <param name="Value">The value: a count since the station (or server) started, or the current level.</param>
/// <param name="Tags">The tags: always <c>lana</c> and <c>address</c>, then the instrument's own (reason, outcome, ...).</param>
public sealed record NetBiosMetricSample(string Instrument, string Unit, NetBiosMetricKind Kind, long Value,
    IReadOnlyList<KeyValuePair<string, object?>> Tags)
{
    /// <summary>The value of a tag, or <see langword="null"/> when the sample does not have it.</summary>
    /// <param name="key">The tag's name, e.g. <c>reason</c>.</param>
    /// <returns>The value.</returns>
    public object? GetTag(string key)
    {
        foreach (var tag in Tags)
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal))
            {
                return tag.Value;
            }
        }

        return null;
    }
}
