using System.Diagnostics.Metrics;

namespace NetBios.Diagnostics;

/// <summary>One instrument of <see cref="NetBiosMetrics"/>: its name, unit, kind and how to read its values from a source.</summary>
/// <param name="Name">The instrument name (documented in docs/NBTD.md).</param>
/// <param name="Unit">The unit, UCUM curly-brace annotation.</param>
/// <param name="Description">What it counts.</param>
/// <param name="Kind">Counter or gauge.</param>
/// <param name="Read">Appends the source's measurements (none when the source lacks the part measured).</param>
internal sealed record MetricDefinition(string Name, string Unit, string Description, NetBiosMetricKind Kind,
    Action<MetricSource, List<Measurement<long>>> Read);
