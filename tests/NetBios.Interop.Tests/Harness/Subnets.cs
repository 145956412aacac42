namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Hands out the third octet for private /24s (10.231.K.0/24 for broadcast segments, 10.98.K.0/24 for
/// loopback hosts). Unique within a process for 254 allocations; the start is derived from the PID so
/// parallel runs in other processes usually differ too — not that it matters for correctness: every
/// topology lives in its own namespaces with no link to the host or to other topologies.
/// </summary>
internal static class Subnets
{
    private static int s_next = Environment.ProcessId % 254;

    internal static int NextOctet() => (int)((uint)Interlocked.Increment(ref s_next) % 254) + 1;
}
