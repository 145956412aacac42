using System.Diagnostics;
using System.Globalization;

namespace NetBios.Benchmarks;

/// <summary>
/// Issue 18: the session rows of <see cref="SessionBenchmarks"/> side by side with their raw-TCP anchors, in one process
/// and a few seconds per row, with the ratios (<c>dotnet run -c Release --project bench/NetBios.Benchmarks -- sessions-vs-raw</c>,
/// or <c>bench/sessions-vs-raw.sh</c>). Each row alternates rounds of raw and session (so that a change in background
/// load hits both) and reports the median round; allocations are all threads' (<see cref="GC.GetTotalAllocatedBytes"/>)
/// during the measured rounds, per message sent one way (throughput) or per round trip (echo, ping-pong). The CPU
/// columns are the process's CPU time (user + system, all threads, <see cref="Process.TotalProcessorTime"/>) per
/// operation over the measured rounds: much less sensitive to background load than the wall-clock medians.
/// </summary>
public static class SessionsVsRaw
{
    /// <summary>One measured kind: the session path and its raw anchor, and how many messages one operation sends.</summary>
    private sealed record Kind(string Name, Func<SessionBenchmarks, Task> Session, Func<SessionBenchmarks, Task> Raw, Func<SessionBenchmarks, int> MessagesPerOp, string Unit);

    private static readonly Kind[] Kinds =
    [
        new("throughput", b => b.SessionThroughput(), b => b.RawThroughput(), b => b.Messages, "MB/s"),
        new("throughput, each message its own send", b => b.SessionThroughputEachSend(), b => b.RawThroughput(), b => b.Messages, "MB/s"),
        new("round trip (echo loop)", b => b.SessionEcho(), b => b.RawEcho(), _ => 1, "µs"),
        new("ping-pong (one flow)", b => b.SessionPingPong(), b => b.RawPingPong(), _ => 1, "µs"),
    ];

    /// <summary>Runs every size and kind; <paramref name="roundTime"/> per round, <paramref name="rounds"/> rounds of each side.</summary>
    /// <returns>0.</returns>
    public static async Task<int> RunAsync(TimeSpan roundTime, int rounds, int[] sizes, bool types = false)
    {
        using var sampler = types ? new AllocationSampler() : null;
        string? only = Environment.GetEnvironmentVariable("SESSIONS_VS_RAW_ONLY"); // e.g. "throughput": one kind (profiling)
        string? side = Environment.GetEnvironmentVariable("SESSIONS_VS_RAW_SIDE"); // "raw" or "session": that side on both (strace, perf)
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"# sessions vs raw TCP, loopback, {Environment.ProcessorCount} cores, load {LoadAverage()}, {rounds} rounds x {roundTime.TotalMilliseconds:F0} ms per side, median"));
        Console.WriteLine("| size | what | raw | session | unit | session/raw | raw B/msg | session B/msg | raw CPU µs/op | session CPU µs/op | CPU session/raw | raw pool items/msg | session pool items/msg |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (int size in sizes)
        {
            var bench = new SessionBenchmarks { Size = size };
            await bench.SetupAsync();
            try
            {
                foreach (var kind in Kinds.Where(k => only is null || k.Name.StartsWith(only, StringComparison.Ordinal)))
                {
                    int perOp = kind.MessagesPerOp(bench);
                    Func<SessionBenchmarks, Task> rawSide = side == "session" ? kind.Session : kind.Raw, ourSide = side == "raw" ? kind.Raw : kind.Session;
                    // Warm-up: JIT tiering, pools, socket buffers.
                    await RoundAsync(() => rawSide(bench), roundTime / 2);
                    await RoundAsync(() => ourSide(bench), roundTime / 2);
                    var raw = new List<Round>();
                    var ours = new List<Round>();
                    for (int r = 0; r < rounds; r++)
                    {
                        raw.Add(await RoundAsync(() => rawSide(bench), roundTime));
                        sampler?.Enabled = true;
                        ours.Add(await RoundAsync(() => ourSide(bench), roundTime));
                        sampler?.Enabled = false;
                    }

                    if (sampler is not null)
                    {
                        Console.WriteLine($"  session allocation samples ({kind.Name}, {size} B): " + string.Join(", ", sampler.Top(12).Select(x => $"{x.Key} {x.Value}")));
                        sampler.Clear();
                    }

                    double rawSec = Median(raw.Select(x => x.SecondsPerOp));
                    double ourSec = Median(ours.Select(x => x.SecondsPerOp));
                    double rawAlloc = raw.Sum(x => (double)x.Allocated) / raw.Sum(x => x.Ops) / perOp;
                    double ourAlloc = ours.Sum(x => (double)x.Allocated) / ours.Sum(x => x.Ops) / perOp;
                    double rawCpu = raw.Sum(x => x.CpuSeconds) / raw.Sum(x => x.Ops) * 1e6;
                    double ourCpu = ours.Sum(x => x.CpuSeconds) / ours.Sum(x => x.Ops) * 1e6;
                    double rawPool = raw.Sum(x => (double)x.PoolItems) / raw.Sum(x => x.Ops) / perOp;
                    double ourPool = ours.Sum(x => (double)x.PoolItems) / ours.Sum(x => x.Ops) / perOp;
                    string rawValue, ourValue;
                    double ratio;
                    if (kind.Unit == "MB/s")
                    {
                        double bytes = (double)perOp * size;
                        rawValue = (bytes / rawSec / 1e6).ToString("F0", inv);
                        ourValue = (bytes / ourSec / 1e6).ToString("F0", inv);
                        ratio = rawSec / ourSec; // throughput: session as a share of raw
                    }
                    else
                    {
                        rawValue = (rawSec * 1e6).ToString("F1", inv);
                        ourValue = (ourSec * 1e6).ToString("F1", inv);
                        ratio = ourSec / rawSec; // time: session as a multiple of raw
                    }

                    string ratioText = kind.Unit == "MB/s" ? (ratio * 100).ToString("F0", inv) + " %" : ratio.ToString("F2", inv) + "x";
                    Console.WriteLine(string.Create(inv, $"| {size} | {kind.Name} | {rawValue} | {ourValue} | {kind.Unit} | {ratioText} | {rawAlloc:F0} | {ourAlloc:F0} | {rawCpu:F1} | {ourCpu:F1} | {ourCpu / rawCpu:F2}x | {rawPool:F2} | {ourPool:F2} |"));
                }
            }
            finally
            {
                await bench.CleanupAsync();
            }
        }

        return 0;
    }

    /// <summary>
    /// One round: operations, wall time per operation, bytes allocated, the process's CPU time (user + system, all
    /// threads) and the thread-pool work items completed (each a hand-over from one thread to another).
    /// </summary>
    private readonly record struct Round(long Ops, double SecondsPerOp, long Allocated, double CpuSeconds, long PoolItems);

    private static async Task<Round> RoundAsync(Func<Task> op, TimeSpan duration)
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        long poolItemsBefore = ThreadPool.CompletedWorkItemCount;
        long ops = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && ops < 10_000_000)
        {
            await op();
            ops++;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Round(ops, seconds / ops, allocated, cpu, ThreadPool.CompletedWorkItemCount - poolItemsBefore);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
