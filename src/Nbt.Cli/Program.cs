using System.CommandLine;
using System.Runtime.InteropServices;
using System.CommandLine.Help;
using Nbt.Cli.Commands;
using Nbt.Cli.Configuration;

namespace Nbt.Cli;

/// <summary>The <c>nbt</c> command line.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Run socket completions on the socket engine's thread instead of hopping to the thread pool for every
        // datagram: the name service handlers never block. Measured with bench/nbns-vs-nmbd.sh, CPU per answered
        // query fell from 66 to 22 µs with one request in flight and from 16 to 8 µs with 16. It must be set before
        // the first socket is created; setting the variable to 0 opts out.
        const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }

        using var binaryIn = Console.OpenStandardInput();
        using var binaryOut = Console.OpenStandardOutput();
        return await RunAsync(args, Console.In, Console.Out, Console.Error, binaryIn, binaryOut);
    }

    /// <summary>Runs <c>nbt</c> with the given writers (used by the tests for output snapshots).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, TextReader.Null, stdout, stderr);

    /// <summary>
    /// Runs <c>nbt</c> with the given reader and writers (stdin feeds <c>nbt decode</c>, <c>chat</c>, <c>call</c> and
    /// <c>serve</c>), and the byte streams that <c>--binary</c> sessions use instead.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, Stream? binaryIn = null, Stream? binaryOut = null) =>
        RunAsync(args, stdin, stdout, stderr, binaryIn, binaryOut, null);

    /// <summary>As <see cref="RunAsync(string[], TextReader, TextWriter, TextWriter, Stream?, Stream?)"/>, with the
    /// environment variables given (tests); null reads the process's. <paramref name="stop"/> does what Ctrl-C does
    /// (tests stop a command that runs until interrupted, such as <c>nbt node</c>).</summary>
    internal static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, Stream? binaryIn, Stream? binaryOut,
        IReadOnlyDictionary<string, string>? environment, CancellationToken stop = default)
    {
        var output = new Output(stdout, stderr, stdin, binaryIn, binaryOut);
        var root = CreateRoot(output, stdout);
        environment ??= Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);

        var parse = root.Parse(args);
        if (!ReportErrors(parse, output, stderr, origins: null))
        {
            return ExitCodes.Usage;
        }

        try
        {
            var layers = ConfigurationLayer.LoadLayers(parse, environment);
            var (configured, origins) = ConfigurationLayer.Apply(root, args, parse, layers);
            var typed = parse;
            if (configured.Length != args.Length)
            {
                parse = root.Parse(configured);
                if (!ReportErrors(parse, output, stderr, origins))
                {
                    return ExitCodes.Usage;
                }
            }

            // The options classes the command reads: one configuration of the layers and the typed options, bound and
            // validated before the command runs (not for --help or --version, which run whatever the configuration says).
            if (parse.CommandResult.Command is not RootCommand && parse.Action == parse.CommandResult.Command.Action)
            {
                CliSettings.Register(parse, CliSettingsBinder.Bind(typed, parse, layers));
            }
        }
        catch (CliException ex)
        {
            output.Error(ex.Message);
            return ex.ExitCode;
        }

        // Ctrl-C and SIGTERM cancel the command's token; the command then cleans up (nbt node releases its names).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(configuration, stopping.Token);
    }

    /// <summary>The command tree, with per-command help that ends with examples.</summary>
    internal static RootCommand CreateRoot(Output output, TextWriter stdout)
    {
        var root = new RootCommand("nbt — NetBIOS over TCP/IP from the command line: a node, names, node status, datagrams, chat, sessions, capture decoding.")
        {
            NodeCommand.Create(output),
            QueryCommand.Create(output),
            StatusCommand.Create(output),
            RegisterCommand.Create(output),
            ReleaseCommand.Create(output),
            SendCommand.Create(output),
            ListenCommand.Create(output),
            ChatCommand.Create(output),
            CallCommand.Create(output),
            ServeCommand.Create(output),
            DecodeCommand.Create(output),
            WinsCommand.Create(output),
            NamesCommand.Create(output),
            SessionsCommand.Create(output),
            CacheCommand.Create(output),
            StatsCommand.Create(output),
        };
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction action)
            {
                help.Action = new HelpWithExamplesAction(action, stdout);
            }
        }

        return root;
    }

    /// <summary>Writes parse errors as one-line messages; false when there were any.</summary>
    private static bool ReportErrors(ParseResult parse, Output output, TextWriter stderr, IReadOnlyDictionary<string, string>? origins)
    {
        if (parse.Errors.Count == 0)
        {
            return true;
        }

        foreach (var error in parse.Errors)
        {
            // An error in a value that came from the configuration names the key and the file or variable.
            string? origin = origins?.FirstOrDefault(o => error.Message.Contains($"'{o.Key}'", StringComparison.Ordinal)).Value;
            output.Error(origin is null ? error.Message : $"{origin}: {error.Message}");
        }

        var names = new List<string>();
        for (var c = parse.CommandResult.Command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        string command = string.Join(' ', ["nbt", .. names]);
        stderr.WriteLine($"Try '{command} --help'.");
        return false;
    }
}
