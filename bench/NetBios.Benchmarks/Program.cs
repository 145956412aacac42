using BenchmarkDotNet.Running;

namespace NetBios.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/NetBios.Benchmarks -- --filter '*'</c>, <c>-- sessions-vs-raw [ROUND_MS] [ROUNDS] [SIZES]</c>, or <c>-- idle 10000</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        switch (args)
        {
            case ["sessions-vs-raw", .. var rest]:
                return await SessionsVsRaw.RunAsync(
                    TimeSpan.FromMilliseconds(rest.Length > 0 ? int.Parse(rest[0], invariant) : 300),
                    rest.Length > 1 ? int.Parse(rest[1], invariant) : 5,
                    rest.Length > 2 ? [.. rest[2].Split(',').Select(x => int.Parse(x, invariant))] : [64, 4096, 65536],
                    rest.Contains("--types"));
            case ["idle", var count]:
                return await IdleSessions.RunServerAsync(int.Parse(count, invariant));
            case ["idle-memory", var count]:
                return await IdleSessions.RunInMemoryAsync(int.Parse(count, invariant));
            case ["wins-open", var path]:
                return await WinsStoreMeasure.OpenOnlyAsync(path);
            case ["wins-pg", var connection]:
                return await WinsStoreMeasure.PostgreSqlAsync(connection);
            case ["wins-store"]:
                return await WinsStoreMeasure.RunAsync(Path.Combine(Path.GetTempPath(), "nbt-wins-measure"), 1_000_000);
            case ["wins-store", var directory, var records]:
                return await WinsStoreMeasure.RunAsync(directory, int.Parse(records, invariant));
            case ["idle-client", var count, var port]:
                return await IdleSessions.RunClientAsync(int.Parse(count, invariant), port);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
