using System.Diagnostics;
using System.Net;
using NetBios.SessionService;
using NetBios.Transport;

namespace NetBios.Benchmarks;

/// <summary>Opens sessions over loopback TCP between two session services; also the idle-sessions console mode.</summary>
public static class SessionPair
{
    /// <summary>A listening server for <paramref name="name"/> (port 0) and a caller, with one session between them.</summary>
    public static async Task<(SessionService.SessionService Server, SessionService.SessionService Client, NbssSession Caller, NbssSession Listener)> OpenAsync(
        NetBiosName name, int maxSessions = 1024)
    {
        var network = new TcpStreamNetwork();
        var server = new SessionService.SessionService(network,
            new SessionServiceOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), MaxSessions = maxSessions, MaxConnections = maxSessions, MaxConnectionsPerAddress = maxSessions },
            n => n == name, (_, _) => ValueTask.FromResult<IReadOnlyList<IPAddress>>([]));
        await server.StartAsync();
        var client = new SessionService.SessionService(network, new SessionServiceOptions { MaxSessions = maxSessions }, _ => false,
            (_, _) => ValueTask.FromResult<IReadOnlyList<IPAddress>>([]));
        var (caller, listener) = await ConnectAsync(server, client, name);
        return (server, client, caller, listener);
    }

    private static async Task<(NbssSession Caller, NbssSession Listener)> ConnectAsync(SessionService.SessionService server, SessionService.SessionService client, NetBiosName name)
    {
        var listen = server.ListenAsync(name, null).AsTask();
        var call = await client.CallAsync(NetBiosName.Create("CALLER", 0), name, [server.LocalEndPoint!]);
        if (!call.IsConnected)
        {
            throw new InvalidOperationException($"call failed: {call.Outcome}");
        }

        return (call.Session, (await listen).Session!);
    }

    /// <summary>
    /// <c>dotnet run -c Release --project bench/NetBios.Benchmarks -- idle-sessions N</c>: opens N idle sessions
    /// (2N session objects, 2N sockets) with a receive pending on each listener side, and reports memory and threads.
    /// </summary>
    public static async Task RunIdleAsync(int count)
    {
        var name = NetBiosName.Create("IDLE", 0x20);
        var before = Snapshot();
        var (server, client, _, _) = await OpenAsync(name, count + 1);
        var pending = new List<Task>();
        for (int i = 1; i < count; i++)
        {
            var listen = server.ListenAsync(name, null).AsTask();
            var call = await client.CallAsync(NetBiosName.Create("CALLER", 0), name, [server.LocalEndPoint!]);
            var listener = (await listen).Session!;
            pending.Add(listener.ReceiveAsync(new byte[64]).AsTask());
            _ = call;
        }

        await Task.Delay(2000);
        var after = Snapshot();
        Console.WriteLine($"{count} idle sessions (each end in-process: {2 * count} sessions, {2 * count} sockets)");
        Console.WriteLine($"managed heap: {before.Heap / 1024.0 / 1024:F1} MiB -> {after.Heap / 1024.0 / 1024:F1} MiB ({(after.Heap - before.Heap) / (2.0 * count):F0} B per session end)");
        Console.WriteLine($"working set:  {before.WorkingSet / 1024.0 / 1024:F1} MiB -> {after.WorkingSet / 1024.0 / 1024:F1} MiB");
        Console.WriteLine($"threads:      {before.Threads} -> {after.Threads}");
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    private static (long Heap, long WorkingSet, int Threads) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(true), process.WorkingSet64, process.Threads.Count);
    }
}
