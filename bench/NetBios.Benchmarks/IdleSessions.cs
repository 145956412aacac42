using System.Diagnostics;
using System.Globalization;
using System.Net;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Transport;

namespace NetBios.Benchmarks;

/// <summary>
/// Issues 6 and 18: N concurrent idle sessions over loopback TCP, then memory (RSS, managed heap) and threads of each
/// end, and the time to open them. <c>dotnet run -c Release --project bench/NetBios.Benchmarks -- idle 100000</c>:
/// this process listens; a child process (<c>idle-client N PORTS</c>) makes the N calls, so that each process holds N
/// sockets (the descriptor limit is per process: raise it first, <c>ulimit -n 250000</c>, as bench/sessions-vs-raw.sh does).
/// </summary>
/// <remarks>
/// Linux picks a caller's ephemeral port per destination (address and port), about 28 000 of them
/// (<c>ip_local_port_range</c> 32768–60999): one listener per <see cref="SessionsPerListener"/> sessions, each a session
/// service on its own port of 127.0.0.1, lets one source address make 100 000 calls without touching the system's settings.
/// </remarks>
public static class IdleSessions
{
    /// <summary>Sessions per listening port (below the ~28 000 ephemeral ports per destination).</summary>
    public const int SessionsPerListener = 20_000;

    /// <summary>Calls (and listens per listener) in flight at once.</summary>
    private const int Parallel = 128;

    private static readonly NetBiosName ServerName = NetBiosName.Create("IDLESRV", 0x20);
    private static readonly NetBiosName ClientName = NetBiosName.Create("IDLECLI", 0x00);

    public static async Task<int> RunServerAsync(int count)
    {
        var inv = CultureInfo.InvariantCulture;
        int listenerCount = Math.Max(1, (count + SessionsPerListener - 1) / SessionsPerListener);
        var before = Measure();
        var servers = new List<SessionServiceNode>();
        for (int i = 0; i < listenerCount; i++)
        {
            var options = new SessionServiceOptions
            {
                ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                MaxSessions = count + 10,
                MaxConnections = count + 10,
                MaxConnectionsPerAddress = count + 10,
                MaxPendingPerAddress = Parallel * 2,
                MaxQueuedRequests = Parallel * 2,
                ListenQueueTimeout = TimeSpan.FromSeconds(30),
                SessionRequestTimeout = TimeSpan.FromSeconds(60), // a loaded machine (several such processes) is slow to read requests
            };
            var server = new SessionServiceNode(new TcpStreamNetwork(), options, new StaticNames(ServerName), new StaticNames());
            await server.StartAsync();
            servers.Add(server);
        }

        try
        {
            var accepted = new List<NbssSession>(count);
            var accepting = Task.WhenAll(servers.Select((server, index) =>
            {
                int quota = (count / listenerCount) + (index < count % listenerCount ? 1 : 0);
                int taken = 0;
                return Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref taken) <= quota)
                    {
                        var listen = await server.ListenAsync(ServerName, null);
                        lock (accepted)
                        {
                            accepted.Add(listen.Session ?? throw new InvalidOperationException($"listen failed: {listen.Outcome}"));
                        }
                    }
                })));
            }));

            var clock = Stopwatch.StartNew();
            string ports = string.Join(',', servers.Select(s => s.LocalEndPoint!.Port.ToString(inv)));
            using var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!,
                [.. Environment.GetCommandLineArgs()[..1].Where(a => a.EndsWith(".dll", StringComparison.Ordinal)), "idle-client",
                 count.ToString(inv), ports])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            })!;
            var childOutput = child.StandardOutput.ReadToEndAsync();
            await Task.WhenAny(accepting, child.WaitForExitAsync());
            if (!accepting.IsCompleted)
            {
                Console.WriteLine($"the calling end stopped after {accepted.Count} sessions: {await childOutput}");
                return 1;
            }

            await accepting;
            var established = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2)); // idle: only the service timers run
            var after = Measure();
            Console.WriteLine(string.Create(inv, $"{count} sessions established in {established.TotalSeconds:F1} s ({count / established.TotalSeconds:F0} per s), {listenerCount} listening port(s), load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            Console.WriteLine("listening end: " + Growth(before, after, count));
            child.StandardInput.Close();
            Console.WriteLine("calling end:   " + await childOutput);
            await child.WaitForExitAsync();
            return 0;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    public static async Task<int> RunClientAsync(int count, string ports)
    {
        var inv = CultureInfo.InvariantCulture;
        var targets = ports.Split(',').Select(p => new IPEndPoint(IPAddress.Loopback, int.Parse(p, inv))).ToArray();
        await using var client = new SessionServiceNode(new TcpStreamNetwork(), new SessionServiceOptions { MaxSessions = count + 10 }, new StaticNames(), new StaticNames());
        var before = Measure();
        var sessions = new NbssSession[count];
        int next = -1;
        int retries = 0;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
            {
                for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                {
                    var call = await client.CallAsync(ClientName, ServerName, [targets[i % targets.Length]]);
                    for (int attempt = 1; call.Session is null && attempt < 3; attempt++)
                    {
                        Interlocked.Increment(ref retries); // counted in the output
                        call = await client.CallAsync(ClientName, ServerName, [targets[i % targets.Length]]);
                    }

                    sessions[i] = call.Session ?? throw new InvalidOperationException($"call {i} failed three times: {call.Outcome}");
                }
            })));
        }
        catch (InvalidOperationException ex)
        {
            Console.Write($"{ex.Message} ({sessions.Count(s => s is not null)} established)");
            return 1;
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = Measure();
        Console.Write(string.Create(inv, $"{Growth(before, after, count)}, calls retried {retries}"));
        await Console.Out.FlushAsync();
        await Console.In.ReadToEndAsync(); // until the listening end has measured too
        return 0;
    }

    /// <summary>
    /// Both ends of N idle sessions in this one process over the in-memory network (NetBios.Testing): no descriptor per
    /// session, so 100 000 fit in one process where the descriptor limit cannot be raised. Everything of the stack is
    /// there (session objects, read loops, receive queues, timers, the service's tables) except the sockets (.NET
    /// <c>Socket</c> and its engine context, about 1 KiB each, and the kernel's, which RSS does not count); the
    /// in-memory connection's two pipes stand in for them.
    /// </summary>
    public static async Task<int> RunInMemoryAsync(int count)
    {
        var inv = CultureInfo.InvariantCulture;
        var before = Measure();
        var network = new NetBios.Testing.InMemoryNetwork { RecordTraffic = false };
        network.AddSegment(IPAddress.Parse("10.0.0.0"), 8);
        var serverAddress = IPAddress.Parse("10.0.0.1");
        var serverHost = network.AddHost(serverAddress);
        var clientHost = network.AddHost(IPAddress.Parse("10.0.0.2"));
        var unlimited = count + 10;
        await using var server = new SessionServiceNode(serverHost, new SessionServiceOptions
        {
            ListenEndPoint = new IPEndPoint(serverAddress, 139),
            MaxSessions = unlimited,
            MaxConnections = unlimited,
            MaxConnectionsPerAddress = unlimited,
            MaxPendingPerAddress = Parallel * 2,
            MaxQueuedRequests = Parallel * 2,
        }, new StaticNames(ServerName), new StaticNames());
        await server.StartAsync();
        await using var client = new SessionServiceNode(clientHost, new SessionServiceOptions { MaxSessions = unlimited }, new StaticNames(), new StaticNames());
        var sessions = new NbssSession[2 * count];
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var listen = server.ListenAsync(ServerName, null).AsTask();
                var call = await client.CallAsync(ClientName, ServerName, [new IPEndPoint(serverAddress, 139)]);
                sessions[2 * i] = call.Session ?? throw new InvalidOperationException($"call {i} failed: {call.Outcome}");
                sessions[(2 * i) + 1] = (await listen).Session ?? throw new InvalidOperationException($"listen {i} failed");
            }
        })));
        var established = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2)); // idle: only the service timers run
        var after = Measure();
        Console.WriteLine(string.Create(inv, $"{count} sessions (both ends, one process, in-memory network) established in {established.TotalSeconds:F1} s ({count / established.TotalSeconds:F0} per s), load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        Console.WriteLine("both ends (per session: its two ends): " + Growth(before, after, count));
        GC.KeepAlive(sessions);
        return 0;
    }

    /// <summary>RSS, managed heap and threads after <paramref name="count"/> sessions: totals, growth, growth per session.</summary>
    private static string Growth((long Heap, long Rss, int Threads) before, (long Heap, long Rss, int Threads) after, int count) =>
        string.Create(CultureInfo.InvariantCulture,
            $"RSS {after.Rss / 1048576.0:F0} MiB (+{(after.Rss - before.Rss) / 1048576.0:F0} MiB, {(after.Rss - before.Rss) / (double)count / 1024:F1} KiB per session), "
            + $"managed heap +{(after.Heap - before.Heap) / 1048576.0:F1} MiB ({(after.Heap - before.Heap) / (double)count / 1024:F1} KiB per session), threads {after.Threads}");

    /// <summary>Managed heap after a full collection, resident set size and thread count (/proc/self/status).</summary>
    private static (long Heap, long Rss, int Threads) Measure()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        long rss = 0;
        int threads = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return (heap, rss, threads);
    }
}
