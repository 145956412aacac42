namespace NetBios.Diagnostics;

/// <summary>What a <see cref="NetBiosMetricSample"/>'s value is.</summary>
public enum NetBiosMetricKind
{
    /// <summary>A monotonic count since the station or server started (an ObservableCounter).</summary>
    Counter,

    /// <summary>A level that goes up and down (an ObservableUpDownCounter): names held, sessions open, requests pending.</summary>
    Gauge,
}
