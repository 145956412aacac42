using System.Net;
using System.Net.Sockets;
using NetBios;
using NetBios.NameService;
using NetBios.Station;
using Xunit;

namespace Nbtd.Tests;

/// <summary>The real nbtd process on loopback, with free ports (no root needed): exit codes, a run that registers
/// names and answers a client, SIGTERM releasing the names, and the WINS server.</summary>
public sealed class NbtdProcessTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnUnknownKeyExitsWith2AndOneLine()
    {
        var (exit, stdout, stderr) = await NbtdProcess.RunAsync(["--Stations:0:Interfce=lo"]);

        Assert.Equal(2, exit);
        Assert.Equal("nbtd: Stations:0:Interfce: unknown key (did you mean Interface?) (from the command line: --Stations:0:Interfce)", stderr.Trim());
        Assert.Empty(stdout.Trim());
    }

    [Fact]
    public async Task ABadValueInTheFileExitsWith2NamingTheKeyAndTheFile()
    {
        string file = Path.Combine(Path.GetTempPath(), $"nbtd-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Stations": [ { "NodeType": "Q" } ] }""", TestContext.Current.CancellationToken);
        try
        {
            var (exit, _, stderr) = await NbtdProcess.RunAsync(["--config", file], new Dictionary<string, string>());

            Assert.Equal(2, exit);
            Assert.Equal($"nbtd: Stations:0:NodeType: 'Q' is not a node type: give B, P, M or H (in {file})", stderr.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task APortInUseExitsWith3AndOneLine()
    {
        var ports = FreePorts.Take();
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Any, ports.Name));

        var (exit, _, stderr) = await NbtdProcess.RunAsync(FreePorts.LoopbackStation(ports, "INUSE"));

        Assert.Equal(3, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nbtd: Stations:0 (LANA 0): ", line, StringComparison.Ordinal);
        Assert.Contains(ports.Name.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSuchInterfaceExitsWith3()
    {
        var (exit, _, stderr) = await NbtdProcess.RunAsync(["--Stations:0:Interface=nosuch9", "--Stations:0:NameServicePort=1", "--Stations:0:DatagramPort=2"]);

        Assert.Equal(3, exit);
        Assert.StartsWith("nbtd: Stations:0:Interface nosuch9: ", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stderr.Trim());
    }

    [Fact]
    public async Task ItRegistersItsNamesAnswersAClientAndReleasesThemOnSigterm()
    {
        var ports = FreePorts.Take();
        await using var nbtd = NbtdProcess.Start([.. FreePorts.LoopbackStation(ports, "NBTDTEST"), "--Stations:0:Groups:0=TESTGRP"]);
        await nbtd.WaitForOutputAsync("nbtd ready: 1 station(s), 4 name(s) registered", StartLimit);

        await using (var client = await NetBiosStation.BindAsync(IPAddress.Loopback,
            new StationOptions { NameService = new NameServiceOptions { RemotePort = ports.Name } }, cancellationToken: TestContext.Current.CancellationToken))
        {
            var status = await client.Names.GetNodeStatusAsync(IPAddress.Loopback, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(QueryOutcome.Found, status.Outcome);
            var names = status.Names.Select(n => n.Name.ToString()).ToHashSet();
            Assert.Superset(new HashSet<string> { "NBTDTEST<00>", "NBTDTEST<03>", "NBTDTEST<20>", "TESTGRP<00>" }, names);

            var query = await client.QueryAsync(NetBiosName.Create("NBTDTEST", 0x20),
                new NameQueryOptions { Target = new IPEndPoint(IPAddress.Loopback, ports.Name), UseCache = false }, TestContext.Current.CancellationToken);
            Assert.Equal(QueryOutcome.Found, query.Outcome);
            Assert.Equal(IPAddress.Loopback, Assert.Single(query.Addresses));
        }

        nbtd.Terminate();
        Assert.Equal(0, await nbtd.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        foreach (string name in new[] { "NBTDTEST<00>", "NBTDTEST<03>", "NBTDTEST<20>", "TESTGRP<00>" })
        {
            Assert.Contains($"Released {name}", nbtd.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("stopped", nbtd.Stdout, StringComparison.Ordinal);
        Assert.Empty(nbtd.Stderr.Trim());
    }

    [Fact]
    public async Task TheWinsServerRegistersAClientsNameInItsSqliteFileAndAnswersForIt()
    {
        var ports = FreePorts.Take();
        string dir = Directory.CreateTempSubdirectory("nbtd-wins-").FullName;
        string database = Path.Combine(dir, "wins.db");
        try
        {
            await using var nbtd = NbtdProcess.Start([
                .. FreePorts.LoopbackStation(ports, "NBTDWINS"),
                "--WinsServer:Enabled=true",
                $"--WinsServer:Database={database}",
            ]);
            await nbtd.WaitForOutputAsync("nbtd ready: 1 station(s), 3 name(s) registered", StartLimit);
            Assert.Contains("WINS server on LANA 0", nbtd.Stdout, StringComparison.Ordinal);
            Assert.Contains("H-node on 127.0.0.1", nbtd.Stdout, StringComparison.Ordinal); // its own server makes it an H-node

            var server = new IPEndPoint(IPAddress.Loopback, ports.Name);
            var options = new NameServiceOptions { RemotePort = ports.Name, NodeType = NetBios.Wire.NameService.NodeType.P };
            options.NameServers.Add(server);
            await using (var client = await NetBiosStation.BindAsync(IPAddress.Loopback, new StationOptions { NameService = options },
                cancellationToken: TestContext.Current.CancellationToken))
            {
                var registered = await client.AddNameAsync(NetBiosName.Create("WINSCLIENT", 0x00), cancellationToken: TestContext.Current.CancellationToken);
                Assert.Equal(RegistrationOutcome.Registered, registered.Outcome);

                var query = await client.QueryAsync(NetBiosName.Create("WINSCLIENT", 0x00),
                    new NameQueryOptions { Target = server, UseCache = false }, TestContext.Current.CancellationToken);
                Assert.Equal(QueryOutcome.Found, query.Outcome);
            }

            nbtd.Terminate();
            Assert.Equal(0, await nbtd.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(new FileInfo(database).Length > 0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
