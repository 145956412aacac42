using System.Globalization;
using NetBios;
using NetBios.Daemon;
using NetBios.NcbInterface;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// Issue 15 benchmark: the memory of a real nbtd process with 1 000 connected clients that each RESET a LANA and added
/// one name (four LANAs on loopback: a station holds at most 254 names), all connected from this test process. Reports
/// nbtd's resident set (VmRSS) before and after, and this process's managed heap (the client side). Skipped unless
/// NETBIOS_BENCH=1: <c>NETBIOS_BENCH=1 dotnet test tests/Nbtd.Tests -c Release --filter "FullyQualifiedName~NbtdMemoryBenchmark" --logger "console;verbosity=detailed"</c>
/// (docs/IPC.md "Benchmark").
/// </summary>
public sealed class NbtdMemoryBenchmark
{
    private const int Clients = 1000;
    private const int Lanas = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AThousandClientsWithANameEach_ResidentSetPerClient()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("NETBIOS_BENCH") == "1", "set NETBIOS_BENCH=1 to run the benchmark");
        var args = new List<string>();
        for (int lana = 0; lana < Lanas; lana++)
        {
            var ports = FreePorts.Take();
            args.AddRange(FreePorts.LoopbackStation(ports, $"MEMBENCH{lana}").Select(a => a.Replace("Stations:0:", $"Stations:{lana}:", StringComparison.Ordinal)));
            args.Add($"--Stations:{lana}:Lana={lana}");
        }

        await using var nbtd = NbtdProcess.Start(args);
        await nbtd.WaitForOutputAsync("nbtd ready", TimeSpan.FromSeconds(60));

        // A first client warms the daemon's code paths up, so that the figures are the clients' and not the JIT's.
        var clients = new List<NetBiosDaemonClient>();
        try
        {
            var first = await NetBiosDaemonClient.ConnectAsync(nbtd.SocketPath!, Ct);
            clients.Add(first);
            Assert.Equal(NcbReturnCode.GoodReturn, await first.ResetAsync(0));
            await AddNameAsync(first, 0, "WARMUP");
            long rssBefore = ResidentSet(nbtd.ProcessId);
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            for (int i = 0; i < Clients; i++)
            {
                var client = await NetBiosDaemonClient.ConnectAsync(nbtd.SocketPath!, Ct);
                clients.Add(client);
                Assert.Equal(NcbReturnCode.GoodReturn, await client.ResetAsync((byte)(i % Lanas)));
            }

            long rssConnected = ResidentSet(nbtd.ProcessId);

            // B-node registrations take a few broadcast retries each: 100 at a time.
            for (int start = 0; start < Clients; start += 100)
            {
                int from = start;
                await Task.WhenAll(Enumerable.Range(from, 100).Select(i => AddNameAsync(clients[i + 1], (byte)(i % Lanas), $"CLIENT{i:D4}")));
            }

            long rssAfter = ResidentSet(nbtd.ProcessId);
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            TestContext.Current.TestOutputHelper!.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nbtd with {Clients} clients: VmRSS {rssBefore / 1024} KiB before, {rssConnected / 1024} KiB connected and RESET " +
                $"(+{(rssConnected - rssBefore) / Clients} B per client), {rssAfter / 1024} KiB with a name each (+{(rssAfter - rssBefore) / Clients} B per client); " +
                $"client side (this process) managed heap +{(heapAfter - heapBefore) / Clients} B per client; load average {LoadAverage()}"));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task AddNameAsync(NetBiosDaemonClient client, byte lana, string name)
    {
        var add = new Ncb { Command = NcbCommand.AddName, LanaNumber = lana };
        add.SetName(NetBiosName.Create(name, 0x00));
        Assert.Equal(NcbReturnCode.GoodReturn, await client.SubmitAsync(add, Ct));
    }

    /// <summary>VmRSS of a process, in bytes (Linux /proc).</summary>
    private static long ResidentSet(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
