using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Transport;
using Xunit;

namespace NetBios.Native.Tests;

/// <summary>
/// Issue 16 item 6: NCB SEND/RECEIVE round trips between two C processes through libnetbios (nbclient → nbserver) vs
/// the same client loop through the .NET API (<see cref="NetBiosInterface"/> in this process → the same nbserver), at
/// 64 B, 4 KiB and 64 KiB (65535, the largest ncb_length). Runs only with NETBIOS_BENCH=1 and is meant for Release:
/// <c>NETBIOS_BENCH=1 dotnet test tests/LibNetBios.Tests -c Release --filter "FullyQualifiedName~Benchmark"</c>; the
/// table goes to the test output and to native/bench-results.txt.
/// </summary>
public sealed partial class NativeVsManagedBenchmark(NativeBuild build)
{
    private static readonly (int Size, int Count)[] Cases = [(64, 10_000), (4096, 5_000), (65535, 2_000)];

    /// <summary>Alternating runs per case; the table gives the best and the median of each side (2 shared cores are noisy:
    /// the best run is the closest to the call path's own cost).</summary>
    private const int Runs = 5;

    [Fact]
    public async Task NativeCallPathCostsAtMostAFewPercent()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("NETBIOS_BENCH") == "1", "set NETBIOS_BENCH=1 to run the benchmark");
        string lmhosts = LibNetBiosTests.WriteLmhosts("127.77.0.12 BENCHSRV");
        var tests = new LibNetBiosTests(build);
        var (server, serverOutput, lines) = await tests.StartServerAsync("127.77.0.12", lmhosts, "BENCHSRV", sessions: Cases.Length * (Runs + 1) * 2);
        var report = new StringBuilder("size   C→C us/rt best (median)  .NET→C us/rt best (median)  C MB/s  .NET MB/s  native/.NET time best (median)\n");
        using (server)
        {
            await using var station = await BindAsync(IPAddress.Parse("127.77.0.13"), lmhosts);
            var netbios = new NetBiosInterface(new Dictionary<byte, NetBiosStation> { [0] = station });
            Assert.Equal(NcbReturnCode.GoodReturn, netbios.Submit(new Ncb { Command = NcbCommand.Reset }));
            var add = new Ncb { Command = NcbCommand.AddName };
            add.SetName(NetBiosName.Create("NCLIENT", 0x00));
            Assert.Equal(NcbReturnCode.GoodReturn, netbios.Submit(add));

            foreach (var (size, count) in Cases)
            {
                RunManaged(netbios, "NCLIENT", "BENCHSRV", size, count / 10); // warm-up (JIT)
                await RunNativeAsync(lmhosts, size, count / 10);
                var native = new List<double>();
                var managed = new List<double>();
                for (int run = 0; run < Runs; run++)
                {
                    native.Add(await RunNativeAsync(lmhosts, size, count));
                    managed.Add(RunManaged(netbios, "NCLIENT", "BENCHSRV", size, count));
                }

                double nBest = native.Min(), mBest = managed.Min(), nMedian = Median(native), mMedian = Median(managed);
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"{size,-6} {nBest,9:F1} ({nMedian,6:F1})  {mBest,12:F1} ({mMedian,6:F1})  {2 * size / nBest,6:F1}  {2 * size / mBest,9:F1}  {nBest / mBest,8:P0} ({nMedian / mMedian:P0})");
            }

            await LibNetBiosTests.WaitAsync(server, lines);
        }

        File.WriteAllText(Path.Combine(build.Output, "bench-results.txt"), report.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Console.WriteLine(report);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>nbclient's microseconds per round trip.</summary>
    private async Task<double> RunNativeAsync(string lmhosts, int size, int count)
    {
        var run = await ProcessRunner.RunAsync(build.Program("nbclient"),
            ["CCLIENT", "BENCHSRV", count.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture)],
            build.Output, LoopbackStation.Environment("127.77.0.11", lmhosts), null, TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.Output);
        return double.Parse(PerRoundTrip().Match(run.Output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The same loop as nbclient.c through <see cref="INetBios.Submit"/>: CALL, SEND + RECEIVE × count, HANG UP;
    /// microseconds per round trip.</summary>
    internal static double RunManaged(NetBiosInterface netbios, string from, string server, int size, int count)
    {
        var call = new Ncb { Command = NcbCommand.Call };
        call.SetName(NetBiosName.Create(from, 0x00));
        call.SetCallName(NetBiosName.Create(server, 0x20));
        Assert.Equal(NcbReturnCode.GoodReturn, netbios.Submit(call));
        byte[] output = new byte[size], input = new byte[size];
        var send = new Ncb { Command = NcbCommand.Send, LocalSessionNumber = call.LocalSessionNumber, Buffer = output };
        var receive = new Ncb { Command = NcbCommand.Receive, LocalSessionNumber = call.LocalSessionNumber, Buffer = input };
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            output[0] = (byte)i;
            send.Length = (ushort)size;
            Assert.Equal(NcbReturnCode.GoodReturn, netbios.Submit(send));
            receive.Length = (ushort)size;
            Assert.Equal(NcbReturnCode.GoodReturn, netbios.Submit(receive));
            Assert.Equal(size, receive.Length);
            Assert.True(input.AsSpan(0, size).SequenceEqual(output), "the echo differs");
        }

        double microseconds = watch.Elapsed.TotalMicroseconds / count;
        Assert.Equal(NcbReturnCode.GoodReturn, netbios.Submit(new Ncb { Command = NcbCommand.Hangup, LocalSessionNumber = call.LocalSessionNumber }));
        return microseconds;
    }

    /// <summary>A node station as libnetbios binds one (NETBIOS_BIND=adapter, the test ports, LMHOSTS).</summary>
    internal static async Task<NetBiosStation> BindAsync(IPAddress address, string lmhosts)
    {
        int port = LoopbackStation.BasePort;
        var adapter = NetworkAdapter.Create(address, 8, "lo");
        var options = new StationOptions { Role = StationRole.Node };
        options.NameService.RemotePort = port + 7;
        options.NameService.Lmhosts = NameService.LmhostsFile.Load(lmhosts);
        options.Datagrams.RemotePort = port + 8;
        options.Sessions.RemotePort = port + 9;
        options.Sessions.ListenEndPoint = new IPEndPoint(address, port + 9);
        var name = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = address, Port = port + 7 });
        var datagrams = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = address, Port = port + 8 });
        var station = NetBiosStation.Create(adapter, name, datagrams, SocketNetworkHost.Default, options);
        await station.StartListeningAsync();
        station.Start();
        return station;
    }

    [GeneratedRegex(@"in [0-9.]+ s: ([0-9.]+) us per round trip")]
    private static partial Regex PerRoundTrip();
}
