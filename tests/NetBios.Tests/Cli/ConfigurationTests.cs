using System.CommandLine;
using Nbt.Cli;
using Nbt.Cli.Configuration;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19 item 2: the configuration matrix. Defaults, the JSON file (top level and command section), NBT_*
/// environment variables and the command line (long and short aliases, <c>--opt=value</c>): each later layer wins,
/// and an unknown key is an error naming the key and where it came from.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"nbt-config-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    private static (ParseResult Parse, string Error) Resolve(string[] args, Dictionary<string, string>? environment = null)
    {
        var output = new Output(TextWriter.Null, TextWriter.Null);
        var root = Program.CreateRoot(output, TextWriter.Null);
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        try
        {
            var (configured, _) = ConfigurationLayer.Apply(root, args, parse, environment ?? []);
            return (root.Parse(configured), string.Empty);
        }
        catch (CliException ex)
        {
            return (parse, ex.Message);
        }
    }

    private void WriteConfig(string json) => File.WriteAllText(_file, json);

    public static TheoryData<string, string?, string?, string?, string[], string> PortMatrix => new()
    {
        // file top-level, file section, environment, command line → effective --port
        { "defaults only", null, null, null, [], "137" },
        { "file top-level", "1001", null, null, [], "1001" },
        { "file section beats file top-level", "1001", "1002", null, [], "1002" },
        { "environment beats file", "1001", "1002", "1003", [], "1003" },
        { "command line beats all", "1001", "1002", "1003", ["--port", "1004"], "1004" },
        { "command line --opt=value beats all", "1001", null, "1003", ["--port=1005"], "1005" },
        { "environment alone", null, null, "1006", [], "1006" },
    };

    [Theory]
    [MemberData(nameof(PortMatrix))]
    public void Port_EachLayerWinsOverTheOnesBefore(string because, string? fileTop, string? fileSection, string? environment, string[] commandLine, string expected)
    {
        var sections = new List<string>();
        if (fileTop is not null)
        {
            sections.Add($"\"port\": {fileTop}");
        }

        if (fileSection is not null)
        {
            sections.Add($"\"status\": {{ \"port\": {fileSection} }}");
        }

        WriteConfig("{" + string.Join(", ", sections) + "}");
        var env = new Dictionary<string, string> { ["NBT_CONFIG"] = _file };
        if (environment is not null)
        {
            env["NBT_PORT"] = environment;
        }

        var (parse, error) = Resolve(["status", "127.0.0.1", .. commandLine], env);

        Assert.True(error.Length == 0, error);
        Assert.True(expected == parse.GetValue<int>("--port").ToString(System.Globalization.CultureInfo.InvariantCulture), because);
    }

    [Theory]
    [InlineData("-n")]
    [InlineData("--name")]
    [InlineData("--name=")]
    public void ShortAndLongAliases_ReplaceTheFilesList(string alias)
    {
        WriteConfig("""{ "node": { "name": ["FROMFILE"], "group": ["WG"] } }""");
        string[] args = alias.EndsWith('=') ? ["node", alias + "TYPED", "--config", _file] : ["node", alias, "TYPED", "--config", _file];

        var (parse, error) = Resolve(args);

        Assert.True(error.Length == 0, error);
        Assert.Equal(["TYPED"], parse.GetValue<string[]>("--name")!);
        Assert.Equal(["WG"], parse.GetValue<string[]>("--group")!);
    }

    [Theory]
    [InlineData("--config", null)]
    [InlineData("--config=", null)]
    [InlineData(null, "NBT_CONFIG")]
    public void ConfigFile_ByOptionEqualsOrEnvironment_IsRead(string? option, string? variable)
    {
        WriteConfig("""{ "interface": "127.0.0.1", "node": { "name": ["A", "B"] } }""");
        string[] args = option switch
        {
            "--config" => ["node", "--config", _file],
            "--config=" => ["node", "--config=" + _file],
            _ => ["node"],
        };
        var env = variable is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [variable] = _file };

        var (parse, error) = Resolve(args, env);

        Assert.True(error.Length == 0, error);
        Assert.Equal(["A", "B"], parse.GetValue<string[]>("--name")!);
        Assert.Equal("127.0.0.1", parse.GetValue<string>("--interface"));
    }

    [Fact]
    public void Booleans_FromFileAndEnvironment_AndTheEnvironmentCanTurnOneOff()
    {
        WriteConfig("""{ "json": true, "node": { "allow-partial": true } }""");
        var env = new Dictionary<string, string> { ["NBT_CONFIG"] = _file };

        var (fromFile, _) = Resolve(["node"], env);
        env["NBT_JSON"] = "false";
        env["NBT_NODE__ALLOW_PARTIAL"] = "false";
        var (turnedOff, error) = Resolve(["node"], env);

        Assert.True(fromFile.GetValue<bool>("--json"));
        Assert.True(fromFile.GetValue<bool>("--allow-partial"));
        Assert.True(error.Length == 0, error);
        Assert.False(turnedOff.GetValue<bool>("--json"));
        Assert.False(turnedOff.GetValue<bool>("--allow-partial"));
    }

    [Fact]
    public void EnvironmentArrays_AndUnderscoresForDashes()
    {
        var env = new Dictionary<string, string>
        {
            ["NBT_WINS__0"] = "10.0.0.1",
            ["NBT_WINS__1"] = "10.0.0.2",
            ["NBT_NODE_TYPE"] = "P",
            ["NBT_NODE__DATAGRAM_PORT"] = "10138",
        };

        var (parse, error) = Resolve(["node"], env);

        Assert.True(error.Length == 0, error);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], parse.GetValue<string[]>("--wins")!);
        Assert.Equal("P", parse.GetValue<string>("--node-type"));
        Assert.Equal(10138, parse.GetValue<int>("--datagram-port"));
    }

    [Fact]
    public void TopLevelOptionsACommandLacks_AreIgnoredForIt()
    {
        WriteConfig("""{ "interface": "127.0.0.1", "wins": ["10.0.0.1"], "node": { "name": ["X"] } }""");

        var (parse, error) = Resolve(["decode", "--config", _file]);

        Assert.True(error.Length == 0, error);
        Assert.Null(parse.GetResult(Nbt.Cli.CommonOptions.Wins));
    }

    [Theory]
    [InlineData("""{ "intrface": "eth0" }""", "key 'intrface'", "'intrface' is not an option of any command")]
    [InlineData("""{ "node": { "nmae": ["X"] } }""", "key 'node.nmae'", "'nmae' is not an option of nbt node")]
    [InlineData("""{ "nod": { "name": ["X"] } }""", "key 'nod.name'", "there is no command 'nod'")]
    [InlineData("""{ "config": "/etc/other.json" }""", "key 'config'", "cannot name another configuration file")]
    [InlineData("""{ "port": { "a": 1 }, "x": 1 }""", "", "unknown key")]
    public void UnknownKeys_AreErrorsNamingTheKeyAndTheFile(string json, string key, string why)
    {
        WriteConfig(json);

        var (_, error) = Resolve(["node", "--config", _file]);

        Assert.StartsWith($"--config {_file}: ", error, StringComparison.Ordinal);
        Assert.Contains(key, error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized command or argument", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEnvironmentVariable_IsAnErrorNamingTheVariable_ButTheRepositorysOwnAreNot()
    {
        var (_, error) = Resolve(["node"], new Dictionary<string, string> { ["NBT_INTERFAC"] = "eth0" });
        var (_, foreign) = Resolve(["node"], new Dictionary<string, string> { ["NBT_TREE"] = "/src", ["NBT_TEST_NO_POSTGRES"] = "1" });

        Assert.StartsWith("environment variable NBT_INTERFAC: ", error, StringComparison.Ordinal);
        Assert.Contains("'interfac' is not an option", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, foreign);
    }

    [Fact]
    public async Task BadValueFromTheFile_IsAUsageErrorNamingTheKeyAndFile()
    {
        WriteConfig("""{ "port": "abc" }""");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await Program.RunAsync(["status", "127.0.0.1", "--config", _file], TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string>());

        Assert.Equal(2, exit);
        Assert.StartsWith($"nbt: --config {_file}: key 'port': ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_IsOneLineUsageError()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await Program.RunAsync(["status", "127.0.0.1", "--config=/nonexistent/nbt.json"], TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string>());

        Assert.Equal(2, exit);
        Assert.StartsWith("nbt: --config /nonexistent/nbt.json: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().Trim().Split('\n'));
    }
}
