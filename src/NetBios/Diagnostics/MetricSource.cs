using NetBios.NameServer;
using NetBios.Station;

namespace NetBios.Diagnostics;

/// <summary>What one LANA contributes to <see cref="NetBiosMetrics"/>: its station and, when it hosts one, its WINS server.</summary>
/// <param name="Lana">The LANA number (tag <c>lana</c>).</param>
/// <param name="Address">The station's IPv4 address as text (tag <c>address</c>).</param>
/// <param name="Station">The station, or null when only a server was added.</param>
/// <param name="Wins">The WINS server on the station's endpoint, or null.</param>
internal sealed record MetricSource(byte Lana, string Address, NetBiosStation? Station, WinsServer? Wins)
{
    /// <summary>The tags every measurement of this source carries, followed by <paramref name="extra"/>.</summary>
    public KeyValuePair<string, object?>[] Tags(params ReadOnlySpan<KeyValuePair<string, object?>> extra)
    {
        var tags = new KeyValuePair<string, object?>[2 + extra.Length];
        tags[0] = new("lana", (int)Lana);
        tags[1] = new("address", Address);
        extra.CopyTo(tags.AsSpan(2));
        return tags;
    }

    /// <summary>The tags of this source and one more.</summary>
    public KeyValuePair<string, object?>[] Tags(string key, string value) => Tags([new(key, value)]);
}
