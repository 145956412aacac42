using System.Diagnostics;
using Xunit;

namespace NetBios.Interop.Tests.Harness;

/// <summary>Runs short-lived external commands with a hard timeout.</summary>
public static class ProcessRunner
{
    /// <summary>Default bound for one short command (ip, sysctl, nmblookup, smbclient, python).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> (no shell), stdin closed at once (or fed
    /// <paramref name="stdin"/>), and returns exit code + output. On timeout or cancellation the process
    /// tree is SIGKILLed and <see cref="TimeoutException"/> / <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string file,
        IReadOnlyList<string> args,
        TimeSpan? timeout = null,
        string? stdin = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        var psi = NewStartInfo(file, args, workingDirectory);
        var commandLine = Describe(file, args);
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {commandLine}");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token(cancellationToken));
        cts.CancelAfter(limit);

        // Feed/close stdin so tools like smbclient never wait on it.
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cts.Token);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited before reading stdin.
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            if (Token(cancellationToken).IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"`{commandLine}` did not finish within {limit.TotalSeconds:F1} s (killed)");
        }

        return new CommandResult(commandLine, process.ExitCode, await stdout, await stderr, sw.Elapsed);
    }

    internal static ProcessStartInfo NewStartInfo(string file, IReadOnlyList<string> args, string? workingDirectory)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        // Stable, parseable tool output.
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["LANG"] = "C";
        return psi;
    }

    internal static string Describe(string file, IReadOnlyList<string> args) =>
        string.Join(' ', new[] { file }.Concat(args).Select(a => a.Length == 0 || a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));

    internal static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>The given token, or the current test's token when none was given.</summary>
    internal static CancellationToken Token(CancellationToken token) =>
        token.CanBeCanceled ? token : TestContext.Current.CancellationToken;
}
