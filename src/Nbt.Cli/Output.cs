using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nbt.Cli.Configuration;
using Nbt.Cli.Tracing;

namespace Nbt.Cli;

/// <summary>
/// Where a command writes: aligned tables and progress for people, JSON for scripts, one-line errors on stderr.
/// Also runs a command body, mapping every failure to a one-line message and a documented exit code.
/// </summary>
internal sealed class Output(TextWriter stdout, TextWriter stderr, TextReader? stdin = null, Stream? binaryIn = null, Stream? binaryOut = null)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions s_jsonLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Json { get; private set; }

    public ILoggerFactory LoggerFactory { get; private set; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    public TextWriter Out => stdout;

    /// <summary>Standard input: hex for nbt decode, lines for nbt chat.</summary>
    public TextReader In => stdin ?? TextReader.Null;

    /// <summary>Standard input as bytes (<c>--binary</c> sessions).</summary>
    public Stream BinaryIn => binaryIn ?? Stream.Null;

    /// <summary>Standard output as bytes (<c>--binary</c> sessions); nothing else is written to stdout meanwhile.</summary>
    public Stream BinaryOut => binaryOut ?? Stream.Null;

    /// <summary>0 results only; 1 (<c>-v</c>) also progress and info logs; 2 (<c>-vv</c>) also debug logs and the packet trace.</summary>
    public int Verbosity { get; private set; }

    /// <summary>The one-line packet trace of <c>-vv</c>, or null.</summary>
    public PacketTrace? Trace { get; private set; }

    public async Task<int> RunAsync(ParseResult parse, Func<ParseResult, Output, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        LogLevel level;
        try
        {
            var settings = CliSettings.For(parse).Output;
            Json = settings.Json;
            Verbosity = settings.Verbosity;
            level = ParseLogLevel(settings.LogLevel) ?? Verbosity switch
            {
                0 => LogLevel.None,
                1 => LogLevel.Information,
                _ => LogLevel.Debug,
            };
        }
        catch (CliException ex)
        {
            Error(ex.Message);
            return ex.ExitCode;
        }

        Trace = Verbosity >= 2 ? new PacketTrace(stderr) : null;
        using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            // Every level to stderr: stdout carries the command's results (tables, JSON, a session's bytes).
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.AddFilter("Microsoft", level == LogLevel.None ? LogLevel.None : LogLevel.Warning);
        });
        LoggerFactory = loggerFactory;
        try
        {
            return await body(parse, this, cancellationToken);
        }
        catch (CliException ex)
        {
            Error(ex.Message);
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception ex)
        {
            // Never a stack trace: one line, and the type for a bug report.
            Error($"unexpected error ({ex.GetType().Name}): {ex.Message}");
            return ExitCodes.Network;
        }
    }

    public void Line(string text) => stdout.WriteLine(text);

    /// <summary>Progress for people, on stderr with <c>-v</c> only: by default a command prints its results and nothing else.</summary>
    public void Progress(string text)
    {
        if (Verbosity > 0)
        {
            stderr.WriteLine(text);
        }
    }

    /// <summary>
    /// What an interactive command is doing (calling, listening, session closed), on stderr unless <c>--json</c>: a
    /// person at the terminal needs it to know when to type; stdout stays the session's or the datagrams' data.
    /// </summary>
    public void Info(string text)
    {
        if (!Json || Verbosity > 0)
        {
            stderr.WriteLine(text);
        }
    }

    /// <summary>A note that always goes to stderr (a result that is not on stdout, e.g. a warning a person must see).</summary>
    public void Note(string text) => stderr.WriteLine(text);

    /// <summary>Parses <c>--log-level</c>; null when not given.</summary>
    /// <exception cref="CliException">Not a level name.</exception>
    internal static LogLevel? ParseLogLevel(string? text) => text?.ToUpperInvariant() switch
    {
        null => null,
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Information,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" => LogLevel.Critical,
        "NONE" => LogLevel.None,
        _ => throw new CliException($"--log-level '{text}' must be trace, debug, information, warning, error, critical or none", ExitCodes.Usage),
    };

    public void Error(string text) => stderr.WriteLine($"nbt: {text}");

    public void WriteJson(object value) => stdout.WriteLine(JsonSerializer.Serialize(value, s_json));

    /// <summary>One JSON object on one line (JSON Lines), for commands that stream results.</summary>
    public void WriteJsonLine(object value) => stdout.WriteLine(JsonSerializer.Serialize(value, s_jsonLine));

    /// <summary>Writes rows with each column padded to its widest cell.</summary>
    public void Table(IEnumerable<string[]> rows, string indent = "")
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        int columns = list.Max(r => r.Length);
        int[] widths = Enumerable.Range(0, columns).Select(c => list.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        foreach (var row in list)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            stdout.WriteLine(indent + string.Join("  ", cells).TrimEnd());
        }
    }
}
