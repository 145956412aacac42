using System.Diagnostics;
using System.Text;

namespace NetBios.Native.Tests;

/// <summary>Runs a program to its end with a time limit (killed past it), collecting stdout and stderr together.</summary>
internal static class ProcessRunner
{
    /// <summary>The exit code and the output of a finished run.</summary>
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, string? stdin, TimeSpan timeout, bool cleanMsBuildEnvironment = false)
    {
        using var process = Start(file, arguments, workingDirectory, environment, cleanMsBuildEnvironment);
        var output = new StringBuilder();
        var lines = Collect(process, output, null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await lines;
            return new Result(-1, output + $"\n[killed after {timeout.TotalSeconds} s]");
        }

        await lines;
        return new Result(process.ExitCode, output.ToString());
    }

    /// <summary>Starts a program that keeps running; <paramref name="output"/> receives its lines as they come and
    /// <paramref name="onLine"/> is called for each.</summary>
    /// <param name="keepStdinOpen">Leaves standard input open for the caller to write to (and close).</param>
    public static (Process Process, Task Lines) StartBackground(string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, StringBuilder output, Action<string>? onLine, bool keepStdinOpen = false)
    {
        var process = Start(file, arguments, workingDirectory, environment, cleanMsBuildEnvironment: false);
        if (!keepStdinOpen)
        {
            process.StandardInput.Close();
        }

        return (process, Collect(process, output, onLine));
    }

    private static Process Start(string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, bool cleanMsBuildEnvironment)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (cleanMsBuildEnvironment)
        {
            // dotnet test runs us with MSBuild's variables set; a nested dotnet publish must not inherit them.
            foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
    }

    private static Task Collect(Process process, StringBuilder output, Action<string>? onLine) => Task.WhenAll(
        Pump(process.StandardOutput, output, onLine), Pump(process.StandardError, output, onLine));

    private static async Task Pump(StreamReader reader, StringBuilder output, Action<string>? onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }

            onLine?.Invoke(line);
        }
    }
}
