using System.Diagnostics;
using System.Globalization;
using NetBios.NcbInterface;
using NetBios.Station;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>
/// Session throughput and round trip between two clients through the daemon vs two embedded NCB interfaces over the
/// same station (64 B, 4 KiB, 64 KiB − 1), on the in-memory network (the IPC cost alone) and with the station's
/// sessions on loopback TCP (as on a real machine), and the memory of 1 000 connected clients that each RESET a LANA
/// and added a name. Skipped unless NETBIOS_BENCH=1:
/// <c>NETBIOS_BENCH=1 dotnet test tests/NetBios.Daemon.Tests -c Release --filter "FullyQualifiedName~DaemonBenchmark" --logger "console;verbosity=detailed"</c>
/// (NETBIOS_BENCH_RUNS=n runs each figure n times, default 3, and reports min–max; NETBIOS_BENCH_SIZES=65535 (comma
/// list) measures only those sizes; the load average is printed with each table, since the figures depend on what else
/// the machine runs). docs/IPC.md "Benchmark".
/// </summary>
public sealed class DaemonBenchmark
{
    /// <summary>The message sizes measured: 64 B, 4 KiB and 64 KiB − 1, or those NETBIOS_BENCH_SIZES lists (e.g. "65535").</summary>
    private static readonly int[] Sizes = Environment.GetEnvironmentVariable("NETBIOS_BENCH_SIZES") is { Length: > 0 } sizes
        ? [.. sizes.Split(',').Select(s => Math.Clamp(int.Parse(s, CultureInfo.InvariantCulture), 1, ushort.MaxValue))]
        : [64, 4096, ushort.MaxValue];

    /// <summary>NCBs in flight per side in the pipelined figure.</summary>
    private const int Window = 8;

    private static bool Enabled => Environment.GetEnvironmentVariable("NETBIOS_BENCH") == "1";

    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("NETBIOS_BENCH_RUNS"), CultureInfo.InvariantCulture, out int runs)
        ? Math.Clamp(runs, 1, 50) : 3;

    [Theory]
    [InlineData(BenchNetwork.Memory)]
    [InlineData(BenchNetwork.Loopback)]
    public async Task SessionThroughputAndRoundTrip_DaemonVsEmbedded(BenchNetwork network)
    {
        Assert.SkipUnless(Enabled, "set NETBIOS_BENCH=1 to run the benchmark");
        await using var bed = await DaemonBenchBed.StartAsync(network);
        var lanas = new Dictionary<byte, NetBiosStation> { [0] = bed.Station };
        var e1 = new NetBiosInterface(lanas);
        var e2 = new NetBiosInterface(lanas);
        Assert.Equal(NcbReturnCode.GoodReturn, await e1.ResetAsync(0));
        Assert.Equal(NcbReturnCode.GoodReturn, await e2.ResetAsync(0));
        await AddAsync(e1, "EMBEDA");
        await AddAsync(e2, "EMBEDB");
        var embedded = await ConnectAsync(e1, "EMBEDA", e2, "EMBEDB");
        var d1 = await bed.ConnectAndResetAsync();
        var d2 = await bed.ConnectAndResetAsync();
        await AddAsync(d1, "DAEMONA");
        await AddAsync(d2, "DAEMONB");
        var daemon = await ConnectAsync(d1, "DAEMONA", d2, "DAEMONB");

        var output = TestContext.Current.TestOutputHelper!;
        string loadBefore = LoadAverage();
        var results = new Dictionary<(int Size, string Path), List<(double MBps, double Rtt, double Pipelined, double Cpu, double Allocated)>>();
        for (int run = 0; run < Runs; run++)
        {
            foreach (int size in Sizes)
            {
                int count = size switch { <= 1024 => 20_000, <= 8192 => 10_000, _ => 2_000 };
                int rounds = size switch { <= 1024 => 5_000, <= 8192 => 3_000, _ => 1_000 };
                var paths = new (string Label, INetBios A, INetBios B, (byte, byte) Lsns)[] { ("embedded", e1, e2, embedded), ("daemon", d1, d2, daemon) };
                foreach (var (label, a, b, lsns) in paths)
                {
                    await ThroughputAsync(a, b, lsns, size, count / 10); // warm-up
                    double seconds = await ThroughputAsync(a, b, lsns, size, count);
                    await RoundTripAsync(a, b, lsns, size, rounds / 10);
                    double rtt = await RoundTripAsync(a, b, lsns, size, rounds);
                    var cpuBefore = ProcessorTime();
                    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    double pipelined = await PipelinedThroughputAsync(a, b, lsns, size, count, Window);
                    double allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)count;
                    double cpu = (ProcessorTime() - cpuBefore).TotalMicroseconds / count;
                    if (!results.TryGetValue((size, label), out var list))
                    {
                        results[(size, label)] = list = [];
                    }

                    list.Add((count * (double)size / seconds / 1e6, rtt, count * (double)size / pipelined / 1e6, cpu, allocated));
                }
            }
        }

        output.WriteLine($"{network}: {Runs} runs, load average {loadBefore} before, {LoadAverage()} after");
        output.WriteLine($"Sequential (each NCB awaited before the next):");
        output.WriteLine($"| size | embedded MB/s | daemon MB/s | daemon/embedded | embedded RTT µs | daemon RTT µs | daemon/embedded |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (int size in Sizes)
        {
            var e = results[(size, "embedded")];
            var d = results[(size, "daemon")];

            // Ratios pair each run's daemon figure with the same run's embedded one (the load drifts between runs).
            var throughputRatio = d.Zip(e, (x, y) => x.MBps / y.MBps).ToList();
            var rttRatio = d.Zip(e, (x, y) => x.Rtt / y.Rtt).ToList();
            output.WriteLine($"| {SizeLabel(size)} " +
                $"| {Range(e.Select(r => r.MBps), "F1")} | {Range(d.Select(r => r.MBps), "F1")} | {Range(throughputRatio.Select(r => r * 100), "F0")} % " +
                $"| {Range(e.Select(r => r.Rtt), "F0")} | {Range(d.Select(r => r.Rtt), "F0")} | {Range(rttRatio, "F1")}× |");
        }

        output.WriteLine($"Pipelined ({Window} SENDs and {Window} RECEIVEs in flight, as a program with no-wait NCBs keeps them):");
        output.WriteLine($"| size | embedded MB/s | daemon MB/s | daemon/embedded | embedded CPU µs/msg | daemon CPU µs/msg | embedded alloc B/msg | daemon alloc B/msg |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (int size in Sizes)
        {
            var e = results[(size, "embedded")];
            var d = results[(size, "daemon")];
            var ratio = d.Zip(e, (x, y) => x.Pipelined / y.Pipelined * 100).ToList();
            output.WriteLine($"| {SizeLabel(size)} " +
                $"| {Range(e.Select(r => r.Pipelined), "F1")} | {Range(d.Select(r => r.Pipelined), "F1")} | {Range(ratio, "F0")} % " +
                $"| {Range(e.Select(r => r.Cpu), "F0")} | {Range(d.Select(r => r.Cpu), "F0")} " +
                $"| {Range(e.Select(r => r.Allocated), "F0")} | {Range(d.Select(r => r.Allocated), "F0")} |");
        }
    }

    [Fact]
    public async Task MemoryOfAThousandClients()
    {
        Assert.SkipUnless(Enabled, "set NETBIOS_BENCH=1 to run the benchmark");
        // A station holds at most 254 names (NCB name numbers): four LANAs, a quarter of the clients on each.
        await using var bed = await DaemonBenchBed.StartAsync(BenchNetwork.Memory, lanaCount: 4);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetBefore = WorkingSet();
        var clients = new List<NetBiosDaemonClient>();
        for (int i = 0; i < 1000; i++)
        {
            clients.Add(await bed.ConnectAndResetAsync((byte)(i % 4)));
        }

        long connected = GC.GetTotalMemory(forceFullCollection: true);

        // Each adds one name (B-node registrations take a few broadcast retries: 100 at a time).
        for (int first = 0; first < clients.Count; first += 100)
        {
            await Task.WhenAll(clients.Skip(first).Take(100).Select((c, i) => AddNameAsync(c, (byte)((first + i) % 4), $"CLIENT{first + i:D4}")));
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetAfter = WorkingSet();
        Assert.Equal(1000, bed.Server.ClientCount);
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"1000 clients, daemon and client side in one process: managed heap +{(connected - before) / 1024} KiB connected and RESET " +
            $"({(connected - before) / 1000} B per client), +{(after - before) / 1024} KiB with a name each ({(after - before) / 1000} B per client); " +
            $"working set +{(workingSetAfter - workingSetBefore) / 1024 / 1024} MiB ({(workingSetAfter - workingSetBefore) / 1000} B per client); load average {LoadAverage()}");
    }

    private static async Task AddNameAsync(NetBiosDaemonClient client, byte lana, string name)
    {
        var add = Make(NcbCommand.AddName, name);
        add.LanaNumber = lana;
        Assert.Equal(NcbReturnCode.GoodReturn, await client.SubmitAsync(add, TestContext.Current.CancellationToken));
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), as printed with each figure.</summary>
    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>CPU time of this whole process (both clients, the daemon and the station, all threads): unlike the wall
    /// clock it does not count the time the machine's other work takes from us.</summary>
    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string SizeLabel(int size) => size switch
    {
        ushort.MaxValue => "64 KiB − 1",
        _ when size % 1024 == 0 => $"{size / 1024} KiB",
        _ => $"{size} B",
    };

    private static string Range(IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        string min = list.Min().ToString(format, CultureInfo.InvariantCulture);
        string max = list.Max().ToString(format, CultureInfo.InvariantCulture);
        return min == max ? min : $"{min}–{max}";
    }

    private static async Task<double> ThroughputAsync(INetBios a, INetBios b, (byte Caller, byte Listener) lsns, int size, int count)
    {
        byte[] data = new byte[size];
        var stopwatch = Stopwatch.StartNew();
        var receiver = Task.Run(async () =>
        {
            var receive = Receive(lsns.Listener, size);
            for (int i = 0; i < count; i++)
            {
                receive.Length = (ushort)size;
                Assert.Equal(NcbReturnCode.GoodReturn, await b.SubmitAsync(receive));
            }
        });
        var send = Send(lsns.Caller, data);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(NcbReturnCode.GoodReturn, await a.SubmitAsync(send));
        }

        await receiver;
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Throughput with <paramref name="window"/> SENDs and as many RECEIVEs pending at a time (each slot's next
    /// NCB is submitted when its last one completed; a session completes them in order).</summary>
    private static async Task<double> PipelinedThroughputAsync(INetBios a, INetBios b, (byte Caller, byte Listener) lsns, int size, int count, int window)
    {
        byte[] data = new byte[size];
        var stopwatch = Stopwatch.StartNew();
        var receiver = Task.Run(() => KeepPendingAsync(b, [.. Enumerable.Range(0, window).Select(_ => Receive(lsns.Listener, size))], count, size));
        await KeepPendingAsync(a, [.. Enumerable.Range(0, window).Select(_ => Send(lsns.Caller, data))], count, size);
        await receiver;
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task KeepPendingAsync(INetBios netbios, Ncb[] slots, int count, int size)
    {
        var pending = new Task<NcbReturnCode>?[slots.Length];
        for (int i = 0; i < count; i++)
        {
            int slot = i % slots.Length;
            if (pending[slot] is { } previous)
            {
                Assert.Equal(NcbReturnCode.GoodReturn, await previous);
            }

            slots[slot].Length = (ushort)size;
            pending[slot] = netbios.SubmitAsync(slots[slot]);
        }

        foreach (var last in pending)
        {
            if (last is not null)
            {
                Assert.Equal(NcbReturnCode.GoodReturn, await last);
            }
        }
    }

    private static async Task<double> RoundTripAsync(INetBios a, INetBios b, (byte Caller, byte Listener) lsns, int size, int rounds)
    {
        byte[] data = new byte[size];
        var echo = Task.Run(async () =>
        {
            var receive = Receive(lsns.Listener, size);
            var reply = Send(lsns.Listener, data);
            for (int i = 0; i < rounds; i++)
            {
                receive.Length = (ushort)size;
                Assert.Equal(NcbReturnCode.GoodReturn, await b.SubmitAsync(receive));
                Assert.Equal(NcbReturnCode.GoodReturn, await b.SubmitAsync(reply));
            }
        });
        var send = Send(lsns.Caller, data);
        var back = Receive(lsns.Caller, size);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < rounds; i++)
        {
            Assert.Equal(NcbReturnCode.GoodReturn, await a.SubmitAsync(send));
            back.Length = (ushort)size;
            Assert.Equal(NcbReturnCode.GoodReturn, await a.SubmitAsync(back));
        }

        double micros = stopwatch.Elapsed.TotalMicroseconds / rounds;
        await echo;
        return micros;
    }
}
