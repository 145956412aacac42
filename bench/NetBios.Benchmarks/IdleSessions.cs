using System.Diagnostics;
using System.Net;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Transport;

namespace NetBios.Benchmarks;

/// <summary>
/// Issue 6: N concurrent idle sessions over loopback TCP, then memory and threads of each end.
/// <c>dotnet run -c Release --project bench/NetBios.Benchmarks -- idle 10000</c>: this process listens; a child
/// process (<c>idle-client N PORT</c>) makes the N calls, so that each process holds N sockets (the file descriptor
/// limit is per process).
/// </summary>
public static class IdleSessions
{
    private static readonly NetBiosName ServerName = NetBiosName.Create("IDLESRV", 0x20);
    private static readonly NetBiosName ClientName = NetBiosName.Create("IDLECLI", 0x00);

    public static async Task<int> RunServerAsync(int count)
    {
        var options = new SessionServiceOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MaxSessions = count + 10,
            MaxConnections = count + 10,
            MaxConnectionsPerAddress = count + 10,
        };
        await using var server = new SessionServiceNode(new TcpStreamNetwork(), options, new StaticNames(ServerName), new StaticNames());
        await server.StartAsync();
        var (heapBefore, workingSetBefore) = Measure();
        var accepted = new List<NbssSession>(count);
        var accepting = Task.Run(async () =>
        {
            var pending = new List<Task<SessionListenResult>>();
            for (int i = 0; i < count; i++)
            {
                pending.Add(server.ListenAsync(ServerName, null).AsTask());
            }

            foreach (var listen in pending)
            {
                accepted.Add((await listen).Session!);
            }
        });

        var clock = Stopwatch.StartNew();
        using var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!,
            [.. Environment.GetCommandLineArgs()[..1].Where(a => a.EndsWith(".dll", StringComparison.Ordinal)), "idle-client",
             count.ToString(System.Globalization.CultureInfo.InvariantCulture), server.LocalEndPoint!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        await accepting;
        var established = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2)); // idle: only the service timers run
        var (heap, workingSet) = Measure();
        Console.WriteLine($"{count} sessions established in {established.TotalSeconds:F1} s");
        Console.WriteLine($"listening end: managed heap +{(heap - heapBefore) / 1048576.0:F1} MiB ({(heap - heapBefore) / (double)count / 1024:F1} KiB per session), "
            + $"working set {workingSet / 1048576.0:F0} MiB (+{(workingSet - workingSetBefore) / 1048576.0:F0} MiB), threads {Process.GetCurrentProcess().Threads.Count}");
        child.StandardInput.Close();
        Console.WriteLine("calling end:   " + await child.StandardOutput.ReadToEndAsync());
        await child.WaitForExitAsync();
        return 0;
    }

    public static async Task<int> RunClientAsync(int count, int port)
    {
        await using var client = new SessionServiceNode(new TcpStreamNetwork(), new SessionServiceOptions { MaxSessions = count + 10 }, new StaticNames(), new StaticNames());
        var (heapBefore, workingSetBefore) = Measure();
        var sessions = new List<NbssSession>(count);
        const int parallel = 64;
        for (int done = 0; done < count; done += parallel)
        {
            var calls = await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, count - done))
                .Select(_ => client.CallAsync(ClientName, ServerName, [new IPEndPoint(IPAddress.Loopback, port)]).AsTask()));
            sessions.AddRange(calls.Select(c => c.Session ?? throw new InvalidOperationException($"call failed: {c.Outcome}")));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var (heap, workingSet) = Measure();
        Console.Write($"managed heap +{(heap - heapBefore) / 1048576.0:F1} MiB ({(heap - heapBefore) / (double)count / 1024:F1} KiB per session), "
            + $"working set {workingSet / 1048576.0:F0} MiB (+{(workingSet - workingSetBefore) / 1048576.0:F0} MiB), threads {Process.GetCurrentProcess().Threads.Count}");
        await Console.In.ReadToEndAsync(); // until the listening end has measured too
        return 0;
    }


    private static (long Heap, long WorkingSet) Measure()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }
}
