using System.Diagnostics;
using System.Globalization;
using System.Net;
using NetBios.NameServer;
using NetBios.NameServer.Sqlite;
using NetBios.Wire.NameService;

namespace NetBios.Benchmarks;

/// <summary>
/// Issue 14's store numbers, as a plain measurement (BenchmarkDotNet would rebuild a 1 000 000-record file per run):
/// open time at 1 000 and 1 000 000 records (with and without the integrity check), <c>FindAsync</c> per hit at both
/// sizes, and write throughput with group commit at 1, 16 and 64 concurrent writers.
/// <c>dotnet run -c Release --project bench/NetBios.Benchmarks -- wins-store [DIR] [RECORDS]</c>.
/// </summary>
internal static class WinsStoreMeasure
{
    public static async Task<int> RunAsync(string directory, int large)
    {
        Directory.CreateDirectory(directory);
        Console.WriteLine($"WINS store measurements in {directory} ({Environment.ProcessorCount} CPUs, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        foreach (int size in (int[])[1_000, large])
        {
            string path = Path.Combine(directory, $"wins-{size}.db");
            if (!File.Exists(path))
            {
                var fill = Stopwatch.StartNew();
                await FillAsync(path, size);
                Console.WriteLine($"  filled {size} records in {fill.Elapsed.TotalSeconds:F1} s");
            }

            Console.WriteLine($"  {size,9} records: file {new FileInfo(path).Length / (1024.0 * 1024):F1} MiB");
            foreach (bool check in (bool[])[true, false])
            {
                var times = new List<double>();
                var cpu = new List<double>();
                for (int i = 0; i < 3; i++)
                {
                    long before = GC.GetTotalMemory(true);
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var open = Stopwatch.StartNew();
                    var store = await SqliteWinsStore.OpenAsync(path, new SqliteWinsStoreOptions { IntegrityCheck = check });
                    times.Add(open.Elapsed.TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    if (i == 0 && check)
                    {
                        Console.WriteLine($"    managed heap for the index: {(GC.GetTotalMemory(true) - before) / (1024.0 * 1024):F0} MiB");
                    }

                    await store.DisposeAsync();
                }

                Console.WriteLine($"    open (integrity check {(check ? "on" : "off")}): median {times.Order().ElementAt(1):F0} ms (runs {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}; CPU {string.Join(", ", cpu.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms)");
            }

            await using (var store = await SqliteWinsStore.OpenAsync(path))
            {
                Console.WriteLine($"    FindAsync hit: {MeasureFind(store, size):F0} ns/op");
            }
        }

        string writes = Path.Combine(directory, "wins-writes.db");
        foreach (int writers in (int[])[1, 16, 64])
        {
            File.Delete(writes);
            File.Delete(writes + "-wal");
            await using var store = await SqliteWinsStore.OpenAsync(writes);
            var (count, seconds) = await MeasureWritesAsync(store, writers, TimeSpan.FromSeconds(3));
            Console.WriteLine($"  writes, synchronous=FULL, {writers,2} concurrent writers: {count / seconds:F0} writes/s ({count} in {seconds:F1} s)");
        }

        return 0;
    }

    /// <summary>
    /// The PostgreSQL store (read-through): FindAsync round trips one at a time, and write throughput at 1, 16 and 64
    /// concurrent writers, in a fresh schema of the database <paramref name="connection"/> names.
    /// </summary>
    public static async Task<int> PostgreSqlAsync(string connection)
    {
        var options = new NetBios.NameServer.PostgreSql.PostgreSqlWinsStoreOptions { Schema = $"bench_{Environment.ProcessId}" };
        await using var store = await NetBios.NameServer.PostgreSql.PostgreSqlWinsStore.OpenAsync(connection, options);
        for (int i = 0; i < 1000; i++)
        {
            await store.WriteAsync(Record(i), 0);
        }

        const int Lookups = 5000;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Lookups; i++)
        {
            _ = await store.FindAsync(Record(i % 1000).Name);
        }

        Console.WriteLine($"  PostgreSQL FindAsync (read-through, one at a time): {clock.Elapsed.TotalMicroseconds / Lookups:F0} µs/op");
        foreach (int writers in (int[])[1, 16, 64])
        {
            long count = 0;
            var duration = TimeSpan.FromSeconds(3);
            var run = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (int n = 0; run.Elapsed < duration; n++)
                {
                    if ((await store.WriteAsync(Record(((w + 1) << 20) | n), 0)).Succeeded)
                    {
                        Interlocked.Increment(ref count);
                    }
                }
            })));
            Console.WriteLine($"  PostgreSQL writes, {writers,2} concurrent writers: {count / run.Elapsed.TotalSeconds:F0} writes/s");
        }

        return 0;
    }

    /// <summary>Opens an existing file three times and prints wall and CPU time of each open.</summary>
    public static async Task<int> OpenOnlyAsync(string path)
    {
        for (int i = 0; i < 3; i++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            int gcs = GC.CollectionCount(0);
            var open = Stopwatch.StartNew();
            var store = await SqliteWinsStore.OpenAsync(path);
            Console.WriteLine($"open {store.Count} records: {open.Elapsed.TotalMilliseconds:F0} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds:F0} ms CPU, {GC.CollectionCount(0) - gcs} gen0 GCs");
            await store.DisposeAsync();
            GC.Collect();
        }

        return 0;
    }

    internal static WinsRecord Record(int i) => new()
    {
        Name = NetBiosName.Create($"HOST{i:X7}", (byte)(i & 1) == 0 ? (byte)0x20 : (byte)0x00),
        Type = WinsRecordType.Unique,
        State = WinsRecordState.Active,
        NodeType = NodeType.H,
        Addresses = [new WinsAddress(new IPAddress(BitConverter.GetBytes(0x0A000000u + (uint)i)), IPAddress.Parse("10.255.0.1"), DateTimeOffset.UnixEpoch.AddDays(20000))],
        Expires = DateTimeOffset.UnixEpoch.AddDays(20000),
        Owner = IPAddress.Parse("10.255.0.1"),
    };

    private static async Task FillAsync(string path, int count)
    {
        await using var store = await SqliteWinsStore.OpenAsync(path, new SqliteWinsStoreOptions { MaxBatchSize = 8192, Synchronous = SqliteSynchronousMode.Normal });
        const int Window = 8192;
        for (int start = 0; start < count; start += Window)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(Window, count - start)).Select(i => store.WriteAsync(Record(i), 0).AsTask()));
        }
    }

    private static double MeasureFind(SqliteWinsStore store, int size)
    {
        var names = Enumerable.Range(0, 4096).Select(i => Record((int)((i * 2654435761u) % (uint)size)).Name).ToArray();
        int found = 0;
        for (int round = 0; round < 2; round++)
        {
            var clock = Stopwatch.StartNew();
            const int Lookups = 2_000_000;
            for (int i = 0; i < Lookups; i++)
            {
                var find = store.FindAsync(names[i & 4095]);
                if (find.IsCompletedSuccessfully && find.Result is not null)
                {
                    found++;
                }
            }

            if (round == 1)
            {
                return clock.Elapsed.TotalNanoseconds / Lookups;
            }
        }

        return found;
    }

    private static async Task<(long Count, double Seconds)> MeasureWritesAsync(SqliteWinsStore store, int writers, TimeSpan duration)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (int n = 0; clock.Elapsed < duration; n++)
            {
                var result = await store.WriteAsync(Record((w << 20) | n), 0);
                if (result.Succeeded)
                {
                    Interlocked.Increment(ref count);
                }
            }
        })));
        return (count, clock.Elapsed.TotalSeconds);
    }
}
