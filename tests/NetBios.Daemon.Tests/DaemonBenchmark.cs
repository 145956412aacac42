using System.Diagnostics;
using NetBios.NcbInterface;
using NetBios.Station;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>
/// Session throughput and round trip between two clients through the daemon vs two embedded NCB interfaces over the
/// same station (64 B, 4 KiB, 64 KiB − 1), and the managed memory of 1 000 connected clients. Skipped unless
/// NETBIOS_BENCH=1: <c>NETBIOS_BENCH=1 dotnet test tests/NetBios.Daemon.Tests --filter "FullyQualifiedName~DaemonBenchmark"</c>
/// (the figures go to the test output; add <c>--logger "console;verbosity=detailed"</c>).
/// </summary>
public sealed class DaemonBenchmark
{
    private static readonly int[] Sizes = [64, 4096, ushort.MaxValue];

    [Fact]
    public async Task SessionThroughputAndRoundTrip_DaemonVsEmbedded()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("NETBIOS_BENCH") == "1", "set NETBIOS_BENCH=1 to run the benchmark");
        await using var bed = await DaemonTestBed.StartAsync();
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
        output.WriteLine($"{"size",6} {"path",8} {"MB/s",9} {"msg/s",9} {"RTT µs",9}");
        foreach (int size in Sizes)
        {
            int count = size switch { 64 => 20_000, 4096 => 10_000, _ => 2_000 };
            int rounds = size switch { 64 => 5_000, 4096 => 3_000, _ => 500 };
            var paths = new (string Label, INetBios A, INetBios B, (byte, byte) Lsns)[] { ("embedded", e1, e2, embedded), ("daemon", d1, d2, daemon) };
            foreach (var (label, a, b, lsns) in paths)
            {
                await ThroughputAsync(a, b, lsns, size, count / 10); // warm-up
                var (seconds, _) = await ThroughputAsync(a, b, lsns, size, count);
                double rtt = await RoundTripAsync(a, b, lsns, size, rounds);
                output.WriteLine($"{size,6} {label,8} {count * (double)size / seconds / 1e6,9:F1} {count / seconds,9:F0} {rtt,9:F1}");
            }
        }
    }

    [Fact]
    public async Task MemoryOfAThousandClients()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("NETBIOS_BENCH") == "1", "set NETBIOS_BENCH=1 to run the benchmark");
        await using var bed = await DaemonTestBed.StartAsync();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetBefore = Process.GetCurrentProcess().WorkingSet64;
        var clients = new List<NetBiosDaemonClient>();
        for (int i = 0; i < 1000; i++)
        {
            clients.Add(await bed.ConnectAndResetAsync());
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetAfter = Process.GetCurrentProcess().WorkingSet64;
        Assert.Equal(1000, bed.Server!.ClientCount);
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"1000 clients (daemon and client side in one process): managed heap +{(after - before) / 1024} KiB " +
            $"({(after - before) / 1000} B per client), working set +{(workingSetAfter - workingSetBefore) / 1024 / 1024} MiB");
    }

    private static async Task<(double Seconds, int Count)> ThroughputAsync(INetBios a, INetBios b, (byte Caller, byte Listener) lsns, int size, int count)
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
        return (stopwatch.Elapsed.TotalSeconds, count);
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
