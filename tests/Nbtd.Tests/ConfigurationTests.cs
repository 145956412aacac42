using System.Collections;
using System.Net;
using NetBios.Wire.NameService;
using Nbtd.Configuration;
using Xunit;

namespace Nbtd.Tests;

/// <summary>nbtd's configuration: sources, precedence, defaults and the checks at start (in-process: the reader and
/// <see cref="Program.RunAsync"/>, which exits before binding anything when the configuration is bad).</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nbtd-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void NoConfigurationIsOneBNodeStationOnLana0WithTheMachineName()
    {
        var options = Read([], new Hashtable());

        var station = Assert.Single(options.Stations);
        Assert.Equal(0, station.Lana);
        Assert.Null(station.Interface);
        Assert.Null(station.NodeType);
        Assert.Empty(station.Wins);
        Assert.Equal((137, 138, 139), (station.NameServicePort, station.DatagramPort, station.SessionPort));
        Assert.True(station.AcceptSessions);
        Assert.Equal(["MYHOST<00>", "MYHOST<03>", "MYHOST<20>"], station.HostNames.Select(n => n.ToString()));
        Assert.False(options.WinsServer.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ShutdownTimeout);
    }

    [Fact]
    public void CommandLineBeatsEnvironmentBeatsFile()
    {
        string file = Write("""{ "Stations": [ { "NameServicePort": 1001, "DatagramPort": 1002, "SessionPort": 1003, "Scope": "FILE.SCOPE" } ] }""");
        var environment = new Hashtable
        {
            ["NBTD_Stations__0__DatagramPort"] = "2002",
            ["NBTD_Stations__0__SessionPort"] = "2003",
            ["OTHER_VARIABLE"] = "ignored",
        };

        var station = Assert.Single(Read(["--config", file, "--Stations:0:SessionPort=3003"], environment).Stations);

        Assert.Equal(1001, station.NameServicePort); // only the file gives it
        Assert.Equal(2002, station.DatagramPort);    // environment over file
        Assert.Equal(3003, station.SessionPort);     // command line over both
        Assert.Equal("FILE.SCOPE", station.Scope);
    }

    [Fact]
    public void NbtdConfigNamesTheFileAndTheDefaultFileIsReadWhenItExists()
    {
        string file = Write("""{ "Stations": [ { "NodeType": "H", "Wins": "10.0.0.1" } ] }""");

        var named = Read([], new Hashtable { ["NBTD_CONFIG"] = file });
        var byDefault = NbtdOptionsReader.Read(NbtdConfigurationSources.Build([], new Hashtable(), defaultConfigPath: file), "MYHOST");

        Assert.Equal(NodeType.H, named.Stations[0].NodeType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 137), Assert.Single(byDefault.Stations[0].Wins));
    }

    [Fact]
    public void SeveralStationsNamesGroupsAndTheWinsServer()
    {
        string file = Write("""
            {
              "Stations": [
                { "Lana": 3, "Interface": "lo", "Name": "alpha", "Groups": [ "WORKGROUP", "OTHER" ], "Names": [ "SERVICE#1F" ] },
                { "Lana": 7, "NameServicePort": 1137, "DatagramPort": 1138, "NodeType": "p", "Wins": [ "10.0.0.2:1137" ] }
              ],
              "WinsServer": { "Enabled": true, "Lana": 3, "Database": ":memory:", "MinTtl": 60, "MaxTtl": 120 },
              "Logging": { "LogLevel": { "Default": "Debug" } },
              "Ipc": { "SocketPath": "/run/nbtd/other.sock", "SocketMode": "0660", "MaxClients": 64,
                       "AccessPolicy": { "AddNames": { "UserIds": [ 1000 ], "GroupIds": [ 100 ] }, "EditWins": { "Everyone": true } } }
            }
            """);

        var options = Read(["--config", file], new Hashtable());

        Assert.Equal([3, 7], options.Stations.Select(s => (int)s.Lana));
        Assert.Equal(["ALPHA<00>", "ALPHA<03>", "ALPHA<20>"], options.Stations[0].HostNames.Select(n => n.ToString()));
        Assert.Equal(["WORKGROUP<00>", "OTHER<00>"], options.Stations[0].Groups.Select(n => n.ToString()));
        Assert.Equal("SERVICE<1F>", Assert.Single(options.Stations[0].Names).ToString());
        Assert.Equal(NodeType.P, options.Stations[1].NodeType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 1137), Assert.Single(options.Stations[1].Wins));
        Assert.True(options.WinsServer.Enabled);
        Assert.Equal((byte)3, options.WinsServer.Lana);
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)), (options.WinsServer.MinTtl!.Value, options.WinsServer.MaxTtl!.Value));
        Assert.True(options.IpcEnabled);
        Assert.Equal(("/run/nbtd/other.sock", "0660", 64), (options.Ipc.SocketPath, options.Ipc.SocketMode, options.Ipc.MaxClients));
        Assert.False(options.Ipc.AccessPolicy.AddNames.Everyone);
        Assert.True(options.Ipc.AccessPolicy.AddNames.Allows(1000, 5) && options.Ipc.AccessPolicy.AddNames.Allows(5, 100));
        Assert.False(options.Ipc.AccessPolicy.AddNames.Allows(5, 5));
        Assert.True(options.Ipc.AccessPolicy.Listen.Everyone);
        Assert.True(options.Ipc.AccessPolicy.EditWins.Everyone);
    }

    [Fact]
    public void TheSampleConfigurationIsValid()
    {
        string sample = Path.Combine(Path.GetDirectoryName(NbtdProcess.DllPath)!, "nbtd.sample.json");

        var options = Read(["--config", sample], new Hashtable());

        Assert.Equal("WORKGROUP<00>", Assert.Single(Assert.Single(options.Stations).Groups).ToString());
        Assert.False(options.WinsServer.Enabled);
    }

    /// <summary>Each bad value or unknown key: exit 2 and one line naming the key and where it came from.</summary>
    [Theory]
    [InlineData("""{ "Stations": [ { "NodeTyp": "B" } ] }""", "Stations:0:NodeTyp: unknown key (did you mean NodeType?)")]
    [InlineData("""{ "Station": [] }""", "Station: unknown key (did you mean Stations?)")]
    [InlineData("""{ "WinsServer": { "Enable": true } }""", "WinsServer:Enable: unknown key (did you mean Enabled?)")]
    [InlineData("""{ "Stations": [ { "NodeType": "X" } ] }""", "Stations:0:NodeType: 'X' is not a node type")]
    [InlineData("""{ "Stations": [ { "Lana": 255 } ] }""", "Stations:0:Lana: '255' is not a LANA number from 0 to 254")]
    [InlineData("""{ "Stations": [ { "Lana": 1 }, { "Lana": 1, "NameServicePort": 2, "DatagramPort": 3 } ] }""", "Stations:1:Lana: LANA 1 is given twice")]
    [InlineData("""{ "Stations": [ { }, { "Lana": 1 } ] }""", "Stations:1:NameServicePort: UDP port 137 is already used by another station")]
    [InlineData("""{ "Stations": [ { "NameServicePort": 0 } ] }""", "Stations:0:NameServicePort: '0' is not a UDP port from 1 to 65535")]
    [InlineData("""{ "Stations": [ { "SessionPort": "x" } ] }""", "Stations:0:SessionPort: 'x' is not a TCP port from 1 to 65535")]
    [InlineData("""{ "Stations": [ { "AcceptSessions": "yes" } ] }""", "Stations:0:AcceptSessions: 'yes' is not true or false")]
    [InlineData("""{ "Stations": [ { "Wins": [ "10.0.0" ] } ] }""", "Stations:0:Wins:0: '10.0.0' is not an IPv4 address[:port]")]
    [InlineData("""{ "Stations": [ { "Wins": "10.0.0.1:70000" } ] }""", "Stations:0:Wins: '10.0.0.1:70000': the port must be a number from 1 to 65535")]
    [InlineData("""{ "Stations": [ { "Scope": "bad..scope" } ] }""", "Stations:0:Scope:")]
    [InlineData("""{ "Stations": [ { "Name": "THIS NAME IS FAR TOO LONG" } ] }""", "Stations:0:Name: 'THIS NAME IS FAR TOO LONG' is not a NetBIOS name")]
    [InlineData("""{ "Stations": [ { "Groups": { "a": "X" } } ] }""", "Stations:0:Groups:a: unknown key: Groups is a list")]
    [InlineData("""{ "Stations": [ { "NodeType": "P" } ] }""", "Stations:0:NodeType: a P-node needs a name server")]
    [InlineData("""{ "Stations": "eth0" }""", "Stations: is a list of stations")]
    [InlineData("""{ "WinsServer": { "Enabled": true, "Lana": 4 } }""", "WinsServer:Lana: no station has LANA 4")]
    [InlineData("""{ "WinsServer": { "Database": "/tmp/x.db", "DatabaseUrl": "postgres://x" } }""", "WinsServer:DatabaseUrl: give Database or DatabaseUrl, not both")]
    [InlineData("""{ "WinsServer": { "MinTtl": 600, "MaxTtl": 60 } }""", "WinsServer:MaxTtl:")]
    [InlineData("""{ "Ipc": { "SockePath": "/run/x.sock" } }""", "Ipc:SockePath: unknown key (did you mean SocketPath?)")]
    [InlineData("""{ "Ipc": { "SocketPath": "relative.sock" } }""", "Ipc:SocketPath: SocketPath must be an absolute path")]
    [InlineData("""{ "Ipc": { "SocketMode": "rw" } }""", "Ipc:SocketMode: SocketMode must be an octal mode")]
    [InlineData("""{ "Ipc": { "AccessPolicy": { "Listen": { "UserIds": [ "bob" ] } } } }""", "Ipc:AccessPolicy:Listen:UserIds:0: 'bob' is not a numeric uid")]
    [InlineData("""{ "Ipc": { "Enabled": "maybe" } }""", "Ipc:Enabled: 'maybe' is not true or false")]
    [InlineData("""{ "ShutdownTimeout": 0 }""", "ShutdownTimeout: '0' is not a number of seconds from 1 to 3600")]
    public async Task ABadFileValueExitsWith2NamingTheKeyAndTheFile(string json, string expected)
    {
        string file = Write(json);

        var (exit, stderr) = await RunAsync(["--config", file]);

        Assert.Equal(NbtdExitCodes.Usage, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nbtd: " + expected, line, StringComparison.Ordinal);
        Assert.EndsWith($"(in {file})", line.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadEnvironmentValueNamesTheVariable()
    {
        var (exit, stderr) = await RunAsync([], new Hashtable { ["NBTD_Stations__0__DatagramPort"] = "-1" });

        Assert.Equal(NbtdExitCodes.Usage, exit);
        Assert.Equal("nbtd: Stations:0:DatagramPort: '-1' is not a UDP port from 1 to 65535 (from NBTD_Stations__0__DatagramPort)", stderr.Trim());
    }

    [Theory]
    [InlineData(new[] { "--Stations:0:Lana=x" }, "nbtd: Stations:0:Lana: 'x' is not a LANA number from 0 to 254 (from the command line: --Stations:0:Lana)")]
    [InlineData(new[] { "--Stations__0__Bogus", "1" }, "nbtd: Stations:0:Bogus: unknown key")]
    [InlineData(new[] { "stray" }, "nbtd: unexpected argument 'stray'")]
    [InlineData(new[] { "--Stations:0:Lana" }, "nbtd: --Stations:0:Lana: no value")]
    [InlineData(new[] { "--config", "/nonexistent/nbtd.json" }, "nbtd: --config /nonexistent/nbtd.json: no such file")]
    public async Task ABadCommandLineExitsWith2(string[] args, string expected)
    {
        var (exit, stderr) = await RunAsync(args);

        Assert.Equal(NbtdExitCodes.Usage, exit);
        Assert.StartsWith(expected, stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stderr.Trim());
    }

    [Fact]
    public async Task AFileThatIsNotJsonIsOneLine()
    {
        string file = Write("""{ "Stations": [ """);

        var (exit, stderr) = await RunAsync(["--config", file]);

        Assert.Equal(NbtdExitCodes.Usage, exit);
        Assert.StartsWith($"nbtd: {file}: cannot read the configuration:", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stderr.Trim());
    }

    private static NbtdOptions Read(string[] args, Hashtable environment) =>
        NbtdOptionsReader.Read(NbtdConfigurationSources.Build(args, environment, defaultConfigPath: "/nonexistent/nbtd.json"), "myhost.example.com");

    private static async Task<(int Exit, string Stderr)> RunAsync(string[] args, Hashtable? environment = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Program.RunAsync(args, environment ?? new Hashtable(), stdout, stderr, defaultConfigPath: "/nonexistent/nbtd.json");
        return (exit, stderr.ToString());
    }

    private string Write(string json)
    {
        string path = Path.Combine(_dir, $"nbtd-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
