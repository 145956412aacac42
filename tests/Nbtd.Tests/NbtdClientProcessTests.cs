using System.Diagnostics;
using System.Net;
using NetBios;
using NetBios.NameService;
using NetBios.Station;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// Issue 15 "Must show", with real processes around the real nbtd (on loopback, free ports): a hundred concurrent client
/// processes (tests/Nbtd.Tests/c/nbtd_client.c) each adding its own name, sending a datagram to another's and calling
/// another, all through the one daemon; and a client running as nobody refused ADD NAME by the access policy
/// (docs/IPC.md "Access") but allowed a query.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NbtdClientProcessTests
{
    private const int Clients = 100;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ClientName(int i) => $"PEER{i:D3}";

    [Fact(Timeout = 180_000)]
    public async Task AHundredClientProcesses_AddNames_SendDatagrams_AndCallEachOther_ThenLeaveNoName()
    {
        string client = await NativeDaemonClient.PathAsync();
        var ports = FreePorts.Take();
        await using var nbtd = NbtdProcess.Start(FreePorts.LoopbackStation(ports, "NBTDMANY"));
        await nbtd.WaitForOutputAsync("nbtd ready", StartLimit);

        var total = Stopwatch.StartNew();
        var processes = new List<Process>();
        try
        {
            // Client i listens and waits for a datagram on its name, and calls and sends a datagram to client i + 1.
            for (int i = 0; i < Clients; i++)
            {
                processes.Add(NativeDaemonClient.Start(client, null, nbtd.SocketPath!, "peer", ClientName(i), ClientName((i + 1) % Clients)));
            }

            var limit = TimeSpan.FromSeconds(60);
            await Task.WhenAll(processes.Select(p => NativeDaemonClient.ReadFieldAsync(p, "READY", limit)));
            var ready = total.Elapsed;
            foreach (var process in processes)
            {
                await process.StandardInput.WriteLineAsync("go");
                await process.StandardInput.FlushAsync(Ct);
            }

            var results = await Task.WhenAll(processes.Select(async (p, i) =>
            {
                string datagram = await NativeDaemonClient.ReadFieldAsync(p, "DATAGRAM", limit);
                string message = await NativeDaemonClient.ReadFieldAsync(p, "MESSAGE", limit);
                string ok = await NativeDaemonClient.ReadFieldAsync(p, "OK", limit);
                using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                exit.CancelAfter(limit);
                await p.WaitForExitAsync(exit.Token);
                return (i, datagram, message, p.ExitCode);
            }));
            var done = total.Elapsed;
            foreach (var (i, datagram, message, exitCode) in results)
            {
                string previous = ClientName((i + Clients - 1) % Clients);
                Assert.Equal($"datagram from {previous}", datagram);
                Assert.Equal($"message from {previous}", message);
                Assert.Equal(0, exitCode);
            }

            Assert.True(done < TimeSpan.FromSeconds(60), $"{Clients} clients took {done}");
            TestContext.Current.SendDiagnosticMessage($"{Clients} client processes: all ready after {ready.TotalSeconds:F1} s, all done after {done.TotalSeconds:F1} s");

            // Every client has exited: the station holds none of their names (each released as its connection ended).
            await using var observer = await NetBiosStation.BindAsync(IPAddress.Loopback,
                new StationOptions { NameService = new NameServiceOptions { RemotePort = ports.Name } }, cancellationToken: Ct);
            NodeStatusResult status = default!;
            for (int attempt = 0; attempt < 50; attempt++)
            {
                status = await observer.GetNodeStatusAsync(IPAddress.Loopback, cancellationToken: Ct);
                if (status.Outcome == QueryOutcome.Found && !status.Names.Any(n => n.Name.ToString().StartsWith("PEER", StringComparison.Ordinal)))
                {
                    break;
                }

                await Task.Delay(100, Ct);
            }

            Assert.Equal(QueryOutcome.Found, status.Outcome);
            Assert.Contains(status.Names, n => n.Name == NetBiosName.Create("NBTDMANY", 0x20));
            Assert.DoesNotContain(status.Names, n => n.Name.ToString().StartsWith("PEER", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }

        nbtd.Terminate();
        Assert.Equal(0, await nbtd.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact(Timeout = 120_000)]
    public async Task AClientRunningAsNobody_IsRefusedAddName_ButMayQuery()
    {
        Assert.SkipUnless(Environment.UserName == "root", "running a client as nobody needs root");
        string client = await NativeDaemonClient.PathAsync();
        var ports = FreePorts.Take();
        var directory = Directory.CreateTempSubdirectory("nbtd-ipc-");
        directory.UnixFileMode = (UnixFileMode)Convert.ToInt32("755", 8); // nobody reaches the socket (itself 0666)
        string socket = Path.Combine(directory.FullName, "nbtd.sock");
        await using var nbtd = NbtdProcess.Start([.. FreePorts.LoopbackStation(ports, "NBTDPOLICY"), $"--Ipc:SocketPath={socket}",
            "--Ipc:AccessPolicy:AddNames:Everyone=false"]);
        await nbtd.WaitForOutputAsync("nbtd ready", StartLimit);

        var limit = TimeSpan.FromSeconds(30);
        using (var nobody = NativeDaemonClient.Start(client, "nobody", socket, "try", "NOBODYNAME"))
        {
            Assert.Equal("65534", await NativeDaemonClient.ReadFieldAsync(nobody, "UID", limit)); // as the daemon saw it
            Assert.Equal("00", await NativeDaemonClient.ReadFieldAsync(nobody, "RESET", limit));
            Assert.Equal("38", await NativeDaemonClient.ReadFieldAsync(nobody, "ADD", limit));   // NRC_NORESOURCES
            Assert.Equal("00", await NativeDaemonClient.ReadFieldAsync(nobody, "ASTAT", limit)); // a query is allowed
            await nobody.WaitForExitAsync(Ct);
            Assert.Equal(0, nobody.ExitCode);
        }

        // Root may whatever the policy says.
        using (var root = NativeDaemonClient.Start(client, null, socket, "try", "ROOTNAME"))
        {
            Assert.Equal("00", await NativeDaemonClient.ReadFieldAsync(root, "ADD", limit));
            await root.WaitForExitAsync(Ct);
        }

        nbtd.Terminate();
        Assert.Equal(0, await nbtd.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("Registered NOBODYNAME", nbtd.Stdout, StringComparison.Ordinal);
    }
}
