using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace NetBios.Benchmarks;

/// <summary>
/// Counts the runtime's allocation samples (GCAllocationTick, one per about 100 KB allocated) by type while enabled:
/// which types make up the bytes allocated per message (<c>-- sessions-vs-raw ... --types</c>).
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, int> _samples = new();

    /// <summary>Counts samples only while true.</summary>
    public bool Enabled { get; set; }

    /// <summary>Samples by type name, most first.</summary>
    public IEnumerable<KeyValuePair<string, int>> Top(int count) => _samples.OrderByDescending(x => x.Value).Take(count);

    /// <summary>Forgets the samples so far.</summary>
    public void Clear() => _samples.Clear();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (Enabled && eventData.EventName == "GCAllocationTick_V4" && eventData.Payload is { } payload)
        {
            int index = eventData.PayloadNames!.IndexOf("TypeName");
            string type = index >= 0 ? payload[index]?.ToString() ?? "?" : "?";
            _samples.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }
}
