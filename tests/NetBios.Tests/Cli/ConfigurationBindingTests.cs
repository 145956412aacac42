using System.Collections;
using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using Nbt.Cli;
using Nbt.Cli.Configuration;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19 item 2: the options classes the commands read (<see cref="NbtNetworkOptions"/>,
/// <see cref="NbtOutputOptions"/>, <see cref="NbtQueryOptions"/>, <see cref="NbtNodeOptions"/>,
/// <see cref="NbtStatusOptions"/>, and one per other command with options of its own: send, listen, chat, call, serve,
/// register, release, decode, wins, and the daemon commands' <see cref="NbtLanaOptions"/>) are bound from one configuration of the JSON file, the environment and the command
/// line: every key from every source, the precedence of the sources, unknown keys and bad values with the key and its
/// source named (exit 2).
/// </summary>
public sealed class ConfigurationBindingTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"nbt-binding-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    /// <summary>Runs nbt's configuration steps as <see cref="Program"/> does, up to the bound settings.</summary>
    private static (CliSettings? Settings, string Error) Bind(string[] args, Dictionary<string, string>? environment = null)
    {
        var output = new Output(TextWriter.Null, TextWriter.Null);
        var root = Program.CreateRoot(output, TextWriter.Null);
        var typed = root.Parse(args);
        Assert.Empty(typed.Errors);
        try
        {
            var layers = ConfigurationLayer.LoadLayers(typed, environment ?? []);
            var (configured, _) = ConfigurationLayer.Apply(root, args, typed, layers);
            var parse = root.Parse(configured);
            Assert.Empty(parse.Errors);
            return (CliSettingsBinder.Bind(typed, parse, layers), string.Empty);
        }
        catch (CliException ex)
        {
            Assert.Equal(ExitCodes.Usage, ex.ExitCode);
            return (null, ex.Message);
        }
    }

    /// <summary>Every key of the options classes: command, arguments it needs, key, a value, the property, how it reads back.</summary>
    private static readonly (string Command, string[] Arguments, string Key, string Value, Func<CliSettings, object?> Read, string Expected)[] Keys =
    [
        ("query", ["FOO"], "interface", "127.0.0.1", s => s.Network.Interface, "127.0.0.1"),
        ("query", ["FOO"], "port", "1137", s => s.Network.Port, "1137"),
        ("node", [], "datagram-port", "1138", s => s.Network.DatagramPort, "1138"),
        ("node", [], "session-port", "1139", s => s.Network.SessionPort, "1139"),
        ("query", ["FOO"], "scope", "SCOPE.ID", s => s.Network.Scope, "SCOPE.ID"),
        ("query", ["FOO"], "node-type", "P", s => s.Network.NodeType, "P"),
        ("query", ["FOO"], "wins", "10.0.0.2", s => s.Network.Wins, "10.0.0.2"),
        ("query", ["FOO"], "lmhosts", "/etc/lmhosts", s => s.Network.Lmhosts, "/etc/lmhosts"),
        ("node", [], "refresh", "60", s => s.Network.Refresh, "60"),
        ("query", ["FOO"], "json", "true", s => s.Output.Json, "True"),
        ("query", ["FOO"], "verbose", "true", s => s.Output.Verbose, "True"),
        ("query", ["FOO"], "trace", "true", s => s.Output.Trace, "True"),
        ("query", ["FOO"], "log-level", "warning", s => s.Output.LogLevel, "warning"),
        ("query", ["FOO"], "broadcast", "10.0.0.255", s => s.Get<NbtQueryOptions>().Broadcast, "10.0.0.255"),
        ("query", ["FOO"], "unicast", "10.0.0.5", s => s.Get<NbtQueryOptions>().Unicast, "10.0.0.5"),
        ("query", ["FOO"], "server", "10.0.0.2:1137", s => s.Get<NbtQueryOptions>().Server, "10.0.0.2:1137"),
        ("query", ["FOO"], "timeout", "2.5", s => s.Get<NbtQueryOptions>().Timeout, "2.5"),
        ("query", ["FOO"], "source-port-137", "true", s => s.Get<NbtQueryOptions>().SourcePort137, "True"),
        ("query", ["FOO"], "master-browser", "true", s => s.Get<NbtQueryOptions>().MasterBrowser, "True"),
        ("query", ["FOO"], "reverse", "true", s => s.Get<NbtQueryOptions>().Reverse, "True"),
        ("node", [], "name", "DEMO", s => s.Get<NbtNodeOptions>().Name, "DEMO"),
        ("node", [], "group", "WG", s => s.Get<NbtNodeOptions>().Group, "WG"),
        ("node", [], "add", "SVC#20", s => s.Get<NbtNodeOptions>().Add, "SVC#20"),
        ("node", [], "allow-partial", "true", s => s.Get<NbtNodeOptions>().AllowPartial, "True"),
        ("node", [], "wins-server", "true", s => s.Get<NbtNodeOptions>().WinsServer, "True"),
        ("node", [], "wins-hook", "/usr/bin/true", s => s.Get<NbtNodeOptions>().WinsHook, "/usr/bin/true"),
        ("node", [], "wins-min-ttl", "300", s => s.Get<NbtNodeOptions>().WinsMinTtl, "300"),
        ("node", [], "wins-max-ttl", "600", s => s.Get<NbtNodeOptions>().WinsMaxTtl, "600"),
        ("node", [], "database", ":memory:", s => s.Get<NbtNodeOptions>().Database, ":memory:"),
        ("node", [], "database-url", "postgres://u@h/db", s => s.Get<NbtNodeOptions>().DatabaseUrl, "postgres://u@h/db"),
        ("status", ["127.0.0.1"], "format", "nbtstat", s => s.Get<NbtStatusOptions>().Format, "nbtstat"),
        ("send", ["BOB", "hi"], "from", "ME#03", s => s.Get<NbtSendOptions>().From, "ME#03"),
        ("send", ["BOB", "hi"], "group", "true", s => s.Get<NbtSendOptions>().Group, "True"),
        ("send", ["hi"], "broadcast", "true", s => s.Get<NbtSendOptions>().Broadcast, "True"),
        ("send", ["BOB", "6869"], "hex", "true", s => s.Get<NbtSendOptions>().Hex, "True"),
        ("send", ["BOB", "hi"], "datagram-port", "1138", s => s.Network.DatagramPort, "1138"),
        ("listen", ["BOB"], "group", "true", s => s.Get<NbtListenOptions>().Group, "True"),
        ("listen", [], "broadcast", "true", s => s.Get<NbtListenOptions>().Broadcast, "True"),
        ("listen", [], "hex", "true", s => s.Get<NbtListenOptions>().Hex, "True"),
        ("listen", [], "count", "5", s => s.Get<NbtListenOptions>().Count, "5"),
        ("listen", [], "timeout", "30", s => s.Get<NbtListenOptions>().Timeout, "30"),
        ("chat", ["ME"], "group", "CHATTERS", s => s.Get<NbtChatOptions>().Group, "CHATTERS"),
        ("chat", ["ME"], "broadcast", "true", s => s.Get<NbtChatOptions>().Broadcast, "True"),
        ("call", ["X"], "from", "ME", s => s.Get<NbtCallOptions>().From, "ME"),
        ("call", ["X"], "address", "127.0.0.1:1139", s => s.Get<NbtCallOptions>().Address, "127.0.0.1:1139"),
        ("call", ["X"], "binary", "true", s => s.Get<NbtCallOptions>().Binary, "True"),
        ("call", ["X"], "session-port", "1139", s => s.Network.SessionPort, "1139"),
        ("serve", ["X"], "from", "CALLER#20", s => s.Get<NbtServeOptions>().From, "CALLER#20"),
        ("serve", ["X"], "binary", "true", s => s.Get<NbtSessionPumpOptions>().Binary, "True"),
        ("register", ["X"], "group", "true", s => s.Get<NbtRegisterOptions>().Group, "True"),
        ("register", ["X"], "lana", "1", s => s.Get<NbtLanaOptions>().Lana, "1"),
        ("release", ["X"], "group", "true", s => s.Get<NbtReleaseOptions>().Group, "True"),
        ("release", ["X"], "force", "true", s => s.Get<NbtReleaseOptions>().Force, "True"),
        ("release", ["X"], "lana", "2", s => s.Get<NbtReleaseOptions>().Lana, "2"),
        ("decode", [], "protocol", "nbss", s => s.Get<NbtDecodeOptions>().Protocol, "nbss"),
        ("decode", [], "nbns-port", "1137", s => s.Get<NbtDecodeOptions>().NbnsPort, "1137"),
        ("decode", [], "nbds-port", "1138", s => s.Get<NbtDecodeOptions>().NbdsPort, "1138"),
        ("decode", [], "nbss-port", "1139", s => s.Get<NbtDecodeOptions>().NbssPort, "1139"),
        ("wins", ["list"], "database", "/var/lib/wins.db", s => s.Get<NbtWinsOptions>().Database, "/var/lib/wins.db"),
        ("wins", ["show", "X"], "database-url", "postgres://u@h/db", s => s.Get<NbtWinsOptions>().DatabaseUrl, "postgres://u@h/db"),
        ("wins", ["delete", "X"], "database", ":memory:", s => s.Get<NbtWinsOptions>().Database, ":memory:"),
        ("wins", ["show", "X"], "scope", "SCOPE.ID", s => s.Network.Scope, "SCOPE.ID"),
        ("names", [], "lana", "0", s => s.Get<NbtLanaOptions>().Lana, "0"),
        ("sessions", [], "lana", "3", s => s.Get<NbtLanaOptions>().Lana, "3"),
        ("stats", [], "lana", "254", s => s.Get<NbtLanaOptions>().Lana, "254"),
        ("cache", [], "lana", "4", s => s.Get<NbtCacheOptions>().Lana, "4"),
        ("cache", [], "purge", "true", s => s.Get<NbtCacheOptions>().Purge, "True"),
    ];

    /// <summary>The sources a key can come from.</summary>
    private static readonly string[] Sources = ["file", "file-section", "environment", "environment-section", "argument", "argument="];

    public static TheoryData<int, string> EveryKeyFromEverySource()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < Keys.Length; i++)
        {
            foreach (string source in Sources)
            {
                data.Add(i, source);
            }
        }

        return data;
    }

    private static bool IsArray(string command, string key) => key is "wins" || (command == "node" && key is "name" or "group" or "add");

    private static bool IsFlag(string value) => value == "true";

    [Theory]
    [MemberData(nameof(EveryKeyFromEverySource))]
    public void EveryKey_FromEverySource_BindsItsProperty(int index, string source)
    {
        var (command, arguments, key, value, read, expected) = Keys[index];
        string json = IsArray(command, key) ? $"[\"{value}\"]" : IsFlag(value) ? value : $"\"{value}\"";
        string variable = key.Replace('-', '_').ToUpperInvariant();
        var environment = new Dictionary<string, string>();
        List<string> args = [command, .. arguments];
        switch (source)
        {
            case "file":
                File.WriteAllText(_file, $"{{ \"{key}\": {json} }}");
                args.AddRange(["--config", _file]);
                break;
            case "file-section":
                File.WriteAllText(_file, $"{{ \"{command}\": {{ \"{key}\": {json} }} }}");
                args.Add("--config=" + _file);
                break;
            case "environment":
                environment[IsArray(command, key) ? $"NBT_{variable}__0" : $"NBT_{variable}"] = value;
                break;
            case "environment-section":
                environment[$"NBT_{command.ToUpperInvariant()}__{variable}"] = value;
                break;
            case "argument":
                args.AddRange(IsFlag(value) ? ["--" + key] : ["--" + key, value]);
                break;
            default:
                args.Add(IsFlag(value) ? $"--{key}=true" : $"--{key}={value}");
                break;
        }

        var (settings, error) = Bind([.. args], environment);

        Assert.True(error.Length == 0, error);
        Assert.Equal(expected, Text(read(settings!)));
        string? origin = settings!.Origin(key);
        Assert.NotNull(origin);
        Assert.Equal(source.StartsWith("argument", StringComparison.Ordinal), origin.Length == 0);
    }

    [Fact]
    public void Defaults_WithNoSource()
    {
        var (settings, error) = Bind(["query", "FOO"]);

        Assert.True(error.Length == 0, error);
        Assert.Equal(137, settings!.Network.Port);
        Assert.Equal(138, settings.Network.DatagramPort);
        Assert.Equal(139, settings.Network.SessionPort);
        Assert.Empty(settings.Network.Wins);
        Assert.False(settings.Output.Json);
        Assert.Equal(0, settings.Output.Verbosity);
        Assert.Null(settings.Get<NbtQueryOptions>().Timeout);
        Assert.Null(settings.Origin("port"));
    }

    public static TheoryData<string, string?, string?, string?, string?, string[], string, string> Precedence => new()
    {
        // file top-level, file section, environment top-level, environment section, command line → timeout, origin
        { "file top-level", "1", null, null, null, [], "1", "--config FILE: key 'timeout'" },
        { "file section beats file top-level", "1", "2", null, null, [], "2", "--config FILE: key 'query.timeout'" },
        { "environment beats the file's section", "1", "2", "3", null, [], "3", "environment variable NBT_TIMEOUT" },
        { "environment section beats environment top-level", "1", "2", "3", "4", [], "4", "environment variable NBT_QUERY__TIMEOUT" },
        { "command line beats all", "1", "2", "3", "4", ["-t", "5"], "5", "" },
        { "command line --opt=value beats all", "1", "2", "3", "4", ["--timeout=6"], "6", "" },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public void Precedence_FileThenEnvironmentThenCommandLine_SectionOverTopLevelWithinALayer(
        string because, string? fileTop, string? fileSection, string? envTop, string? envSection, string[] commandLine, string expected, string origin)
    {
        var entries = new List<string>();
        if (fileTop is not null)
        {
            entries.Add($"\"timeout\": {fileTop}");
        }

        if (fileSection is not null)
        {
            entries.Add($"\"query\": {{ \"timeout\": {fileSection} }}");
        }

        File.WriteAllText(_file, "{" + string.Join(", ", entries) + "}");
        var environment = new Dictionary<string, string> { ["NBT_CONFIG"] = _file };
        if (envTop is not null)
        {
            environment["NBT_TIMEOUT"] = envTop;
        }

        if (envSection is not null)
        {
            environment["NBT_QUERY__TIMEOUT"] = envSection;
        }

        var (settings, error) = Bind(["query", "FOO", .. commandLine], environment);

        Assert.True(error.Length == 0, error);
        Assert.True(double.Parse(expected, CultureInfo.InvariantCulture) == settings!.Get<NbtQueryOptions>().Timeout, because);
        Assert.Equal(origin.Replace("FILE", _file, StringComparison.Ordinal), settings.Origin("timeout"));
    }

    [Fact]
    public void ALaterLayersList_ReplacesTheWholeList_NotItsFirstElements()
    {
        File.WriteAllText(_file, """{ "wins": ["10.0.0.1", "10.0.0.2", "10.0.0.3"], "node": { "name": ["A", "B"] } }""");

        var (settings, error) = Bind(["node", "-n", "TYPED", "--config", _file], new Dictionary<string, string> { ["NBT_WINS__0"] = "10.0.0.9" });

        Assert.True(error.Length == 0, error);
        Assert.Equal(["TYPED"], settings!.Get<NbtNodeOptions>().Name);
        Assert.Equal(["10.0.0.9"], settings.Network.Wins);
    }

    [Fact]
    public void ScalarEnvironmentVariable_ForAList_IsAOneElementList()
    {
        var (settings, error) = Bind(["query", "FOO"], new Dictionary<string, string> { ["NBT_WINS"] = "10.0.0.7" });

        Assert.True(error.Length == 0, error);
        Assert.Equal(["10.0.0.7"], settings!.Network.Wins);
    }

    [Theory]
    [InlineData("""{ "port": 70000 }""", "key 'port': --port 70000 is not a UDP port (1-65535)")]
    [InlineData("""{ "node-type": "X" }""", "key 'node-type': --node-type 'X' must be B, P, M or H")]
    [InlineData("""{ "scope": "A..B" }""", "key 'scope': --scope: ")]
    [InlineData("""{ "wins": ["10.0.0"] }""", "key 'wins': --wins '10.0.0' is not an IPv4 address[:port]")]
    [InlineData("""{ "log-level": "loud" }""", "key 'log-level': --log-level 'loud' must be")]
    [InlineData("""{ "query": { "timeout": 0 } }""", "key 'query.timeout': --timeout 0: give seconds from 0.05 to 600")]
    public void BadValueInTheFile_NamesTheKeyAndTheFile(string json, string expected)
    {
        File.WriteAllText(_file, json);

        var (_, error) = Bind(["query", "FOO", "--config", _file]);

        Assert.StartsWith($"--config {_file}: {expected}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NBT_PORT", "0", "environment variable NBT_PORT: --port 0 is not a UDP port (1-65535)")]
    [InlineData("NBT_NODE_TYPE", "Q", "environment variable NBT_NODE_TYPE: --node-type 'Q' must be B, P, M or H")]
    [InlineData("NBT_REFRESH", "0", "environment variable NBT_REFRESH: --refresh 0: give a number of seconds, at least 1")]
    [InlineData("NBT_STATUS__FORMAT", "wide", "environment variable NBT_STATUS__FORMAT: --format 'wide' must be nbt or nbtstat")]
    public void BadValueInTheEnvironment_NamesTheVariable(string variable, string value, string expected)
    {
        string[] args = variable.StartsWith("NBT_STATUS", StringComparison.Ordinal) ? ["status", "127.0.0.1"] : ["node"];

        var (_, error) = Bind(args, new Dictionary<string, string> { [variable] = value });

        Assert.Equal(expected, error);
    }

    [Fact]
    public void BadValueOnTheCommandLine_ReadsAsWithoutConfiguration()
    {
        var (_, error) = Bind(["query", "FOO", "-t", "1000"]);

        Assert.Equal("--timeout 1000: give seconds from 0.05 to 600", error);
    }

    [Theory]
    [InlineData("NBT_NODE__NMAE", "environment variable NBT_NODE__NMAE: unknown key: 'nmae' is not an option of nbt node")]
    [InlineData("NBT_QUERY__TIMEOUTS", "environment variable NBT_QUERY__TIMEOUTS: unknown key: 'timeouts' is not an option of nbt query")]
    [InlineData("NBT_WIN", "environment variable NBT_WIN: unknown key: 'win' is not an option of any command")]
    public void UnknownKeyInTheEnvironment_NamesTheVariable(string variable, string expected)
    {
        var (_, error) = Bind(["node"], new Dictionary<string, string> { [variable] = "1" });

        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task BadValueFromTheEnvironment_ExitsTwoWithOneLine()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await Program.RunAsync(["query", "FOO"], TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string> { ["NBT_QUERY__TIMEOUT"] = "0" });

        Assert.Equal(2, exit);
        Assert.Equal("nbt: environment variable NBT_QUERY__TIMEOUT: --timeout 0: give seconds from 0.05 to 600" + Environment.NewLine, stderr.ToString());
        Assert.Equal(string.Empty, stdout.ToString());
    }

    [Fact]
    public async Task Help_IsShownWhateverTheConfigurationHolds()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await Program.RunAsync(["query", "--help"], TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string> { ["NBT_QUERY__TIMEOUT"] = "0" });

        Assert.Equal(0, exit);
        Assert.Contains("--timeout", stdout.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The binder's ErrorOnUnknownConfiguration guard: every option of a command (and of its subcommands) with
    /// an options class has a property in it or in the shared classes.</summary>
    [Theory]
    [InlineData("query", typeof(NbtQueryOptions))]
    [InlineData("node", typeof(NbtNodeOptions))]
    [InlineData("status", typeof(NbtStatusOptions))]
    [InlineData("send", typeof(NbtSendOptions))]
    [InlineData("listen", typeof(NbtListenOptions))]
    [InlineData("chat", typeof(NbtChatOptions))]
    [InlineData("call", typeof(NbtCallOptions))]
    [InlineData("serve", typeof(NbtServeOptions))]
    [InlineData("register", typeof(NbtRegisterOptions))]
    [InlineData("release", typeof(NbtReleaseOptions))]
    [InlineData("decode", typeof(NbtDecodeOptions))]
    [InlineData("wins", typeof(NbtWinsOptions))]
    [InlineData("names", typeof(NbtLanaOptions))]
    [InlineData("sessions", typeof(NbtLanaOptions))]
    [InlineData("stats", typeof(NbtLanaOptions))]
    [InlineData("cache", typeof(NbtCacheOptions))]
    public void EveryOptionOfTheCommand_HasAPropertyInItsOptionsClasses(string name, Type commandOptions)
    {
        var root = Program.CreateRoot(new Output(TextWriter.Null, TextWriter.Null), TextWriter.Null);
        var command = root.Subcommands.Single(c => c.Name == name);
        var keys = CliSettingsBinder.KeysOf<NbtNetworkOptions>()
            .Concat(CliSettingsBinder.KeysOf<NbtOutputOptions>())
            .Concat(KeysOf(commandOptions))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = WithSubcommands(command).SelectMany(c => c.Options).Where(o => o != CommonOptions.Config && o is not HelpOption)
            .Select(ConfigurationLayer.OptionKey).Where(k => !keys.Contains(CliSettingsBinder.PropertyKey(k))).Distinct().ToList();

        Assert.Contains(name, CliSettingsBinder.CommandsWithOptions);
        Assert.Empty(missing);
    }

    /// <summary>No command has an option of its own left unbound: each one with an option outside the shared
    /// network and output classes has an options class (and the test above checks that class).</summary>
    [Fact]
    public void EveryCommandWithOwnOptions_HasAnOptionsClass()
    {
        var root = Program.CreateRoot(new Output(TextWriter.Null, TextWriter.Null), TextWriter.Null);
        var shared = CliSettingsBinder.KeysOf<NbtNetworkOptions>().Concat(CliSettingsBinder.KeysOf<NbtOutputOptions>()).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unbound = root.Subcommands
            .Where(c => WithSubcommands(c).SelectMany(s => s.Options)
                .Any(o => o != CommonOptions.Config && o is not HelpOption and not VersionOption && !shared.Contains(CliSettingsBinder.PropertyKey(ConfigurationLayer.OptionKey(o)))))
            .Select(c => c.Name)
            .Where(n => !CliSettingsBinder.CommandsWithOptions.Contains(n))
            .ToList();

        Assert.Empty(unbound);
    }

    /// <summary>Bad values of the new classes, from a file's section, the file's top level or the environment: the key and its source named.</summary>
    [Theory]
    [InlineData("listen", """{ "listen": { "count": 0 } }""", "key 'listen.count': --count 0: give a number of datagrams, at least 1")]
    [InlineData("listen", """{ "timeout": 0 }""", "key 'timeout': --timeout 0: give a number of seconds, at least 1")]
    [InlineData("decode", """{ "decode": { "protocol": "smb" } }""", "key 'decode.protocol': --protocol 'smb' must be nbns, nbds or nbss")]
    [InlineData("decode", """{ "decode": { "nbns-port": 0 } }""", "key 'decode.nbns-port': --nbns-port 0 is not a port (1-65535)")]
    [InlineData("decode", """{ "nbss-port": 70000 }""", "key 'nbss-port': --nbss-port 70000 is not a port (1-65535)")]
    [InlineData("call X", """{ "call": { "address": "127.0.0.1:0" } }""", "key 'call.address': --address '127.0.0.1:0': the port must be a number from 1 to 65535")]
    [InlineData("call X", """{ "address": "10.0.0" }""", "key 'address': ")]
    [InlineData("names", """{ "lana": 255 }""", "key 'lana': --lana 255 is not a LANA number from 0 to 254")]
    [InlineData("sessions", """{ "sessions": { "lana": 400 } }""", "key 'sessions.lana': --lana 400 is not a LANA number from 0 to 254")]
    [InlineData("cache", """{ "cache": { "lana": 300 } }""", "key 'cache.lana': --lana 300 is not a LANA number from 0 to 254")]
    [InlineData("cache", """{ "cache": { "purge": "yes" } }""", "key 'cache.purge': 'yes' is not true or false")]
    [InlineData("register X", """{ "register": { "lana": 999 } }""", "key 'register.lana': --lana 999 is not a LANA number from 0 to 254")]
    [InlineData("release X", """{ "release": { "lana": 256 } }""", "key 'release.lana': --lana 256 is not a LANA number from 0 to 254")]
    [InlineData("wins list", """{ "wins": { "database": "/tmp/a.db", "database-url": "postgres://u@h/db" } }""", "key 'wins.database-url': --database and --database-url: give one of them")]
    [InlineData("wins list", """{ "wins": { "database": "" } }""", "key 'wins.database': --database needs a file")]
    [InlineData("send BOB hi", """{ "send": { "hex": "maybe" } }""", "key 'send.hex': 'maybe' is not true or false")]
    [InlineData("decode", """{ "decode": { "protocl": "nbns" } }""", "key 'decode.protocl': unknown key: 'protocl' is not an option of nbt decode")]
    [InlineData("cache", """{ "cache": { "purgee": true } }""", "key 'cache.purgee': unknown key: 'purgee' is not an option of nbt cache")]
    public void BadValueOfACommandsOptions_InTheFile_NamesTheKeyAndTheFile(string commandLine, string json, string expected)
    {
        File.WriteAllText(_file, json);

        var (_, error) = Bind([.. commandLine.Split(' '), "--config", _file]);

        Assert.StartsWith($"--config {_file}: {expected}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listen", "NBT_LISTEN__COUNT", "0", "environment variable NBT_LISTEN__COUNT: --count 0: give a number of datagrams, at least 1")]
    [InlineData("listen", "NBT_TIMEOUT", "0", "environment variable NBT_TIMEOUT: --timeout 0: give a number of seconds, at least 1")]
    [InlineData("decode", "NBT_DECODE__PROTOCOL", "tcp", "environment variable NBT_DECODE__PROTOCOL: --protocol 'tcp' must be nbns, nbds or nbss")]
    [InlineData("decode", "NBT_NBDS_PORT", "0", "environment variable NBT_NBDS_PORT: --nbds-port 0 is not a port (1-65535)")]
    [InlineData("names", "NBT_NAMES__LANA", "255", "environment variable NBT_NAMES__LANA: --lana 255 is not a LANA number from 0 to 254")]
    [InlineData("cache", "NBT_LANA", "1000", "environment variable NBT_LANA: --lana 1000 is not a LANA number from 0 to 254")]
    [InlineData("call X", "NBT_CALL__ADDRESS", "127.0.0.1:0", "environment variable NBT_CALL__ADDRESS: --address '127.0.0.1:0': the port must be a number from 1 to 65535")]
    [InlineData("send BOB hi", "NBT_SEND__HEXX", "true", "environment variable NBT_SEND__HEXX: unknown key: 'hexx' is not an option of nbt send")]
    [InlineData("serve X", "NBT_SERVE__FORM", "ME", "environment variable NBT_SERVE__FORM: unknown key: 'form' is not an option of nbt serve")]
    public void BadValueOfACommandsOptions_InTheEnvironment_NamesTheVariable(string commandLine, string variable, string value, string expected)
    {
        var (_, error) = Bind(commandLine.Split(' '), new Dictionary<string, string> { [variable] = value });

        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(new[] { "listen", "--count", "0" }, "--count 0: give a number of datagrams, at least 1")]
    [InlineData(new[] { "listen", "--timeout=0" }, "--timeout 0: give a number of seconds, at least 1")]
    [InlineData(new[] { "decode", "--protocol", "SMB" }, "--protocol 'smb' must be nbns, nbds or nbss")]
    [InlineData(new[] { "names", "--lana", "255" }, "--lana 255 is not a LANA number from 0 to 254")]
    [InlineData(new[] { "wins", "list", "--database", "a.db", "--database-url", "postgres://u@h/db" }, "--database and --database-url: give one of them")]
    public void BadValueOfACommandsOptions_OnTheCommandLine_ReadsAsWithoutConfiguration(string[] args, string expected)
    {
        var (_, error) = Bind(args);

        Assert.Equal(expected, error);
    }

    [Fact]
    public void CommandLine_BeatsTheEnvironment_BeatsTheFile_ForACommandsOwnOptions()
    {
        File.WriteAllText(_file, """{ "lana": 1, "cache": { "purge": true }, "listen": { "count": 7, "hex": true } }""");
        var environment = new Dictionary<string, string> { ["NBT_CONFIG"] = _file, ["NBT_CACHE__LANA"] = "2", ["NBT_LISTEN__COUNT"] = "8" };

        var (cache, error) = Bind(["cache", "--lana", "3"], environment);
        Assert.True(error.Length == 0, error);
        Assert.Equal(3, cache!.Get<NbtCacheOptions>().Lana);
        Assert.True(cache.Get<NbtCacheOptions>().Purge);
        Assert.Equal($"--config {_file}: key 'cache.purge'", cache.Origin("purge"));

        var (names, _) = Bind(["names"], environment);
        Assert.Equal(1, names!.Get<NbtLanaOptions>().Lana);

        var (listen, _) = Bind(["listen"], environment);
        Assert.Equal(8, listen!.Get<NbtListenOptions>().Count);
        Assert.Equal("environment variable NBT_LISTEN__COUNT", listen.Origin("count"));
        Assert.True(listen.Get<NbtListenOptions>().Hex);
    }

    [Fact]
    public void Defaults_OfTheCommandsOwnOptions()
    {
        Assert.Equal("NBTCHAT", Bind(["chat", "ME"]).Settings!.Get<NbtChatOptions>().Group);
        var decode = Bind(["decode"]).Settings!.Get<NbtDecodeOptions>();
        Assert.Equal((137, 138, 139, (string?)null), (decode.NbnsPort, decode.NbdsPort, decode.NbssPort, decode.Protocol));
        Assert.Null(Bind(["stats"]).Settings!.Get<NbtLanaOptions>().Lana);
        var listen = Bind(["listen"]).Settings!.Get<NbtListenOptions>();
        Assert.Equal(((int?)null, (int?)null, false), (listen.Count, listen.Timeout, listen.Hex));
    }

    [Fact]
    public async Task DecodeProtocol_FromTheEnvironment_IsWhatTheCommandUses()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await Program.RunAsync(["decode"], new StringReader("83 00 00 01 82"), stdout, stderr, null, null,
            new Dictionary<string, string> { ["NBT_DECODE__PROTOCOL"] = "nbns" });

        Assert.Equal(0, exit);
        Assert.Contains("MALFORMED: TruncatedHeader", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadLanaFromTheFile_ExitsTwoBeforeLookingForTheDaemon()
    {
        File.WriteAllText(_file, """{ "names": { "lana": 255 } }""");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await Program.RunAsync(["names", "--config", _file], TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string>());

        Assert.Equal(2, exit);
        Assert.Equal($"nbt: --config {_file}: key 'names.lana': --lana 255 is not a LANA number from 0 to 254" + Environment.NewLine, stderr.ToString());
    }

    private static IEnumerable<Command> WithSubcommands(Command command) => command.Subcommands.SelectMany(WithSubcommands).Prepend(command);

    private static HashSet<string> KeysOf(Type type) =>
        (HashSet<string>)typeof(CliSettingsBinder).GetMethod(nameof(CliSettingsBinder.KeysOf), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
            .MakeGenericMethod(type).Invoke(null, null)!;

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IEnumerable list => string.Join(",", list.Cast<object>()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
