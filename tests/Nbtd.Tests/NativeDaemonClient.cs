using System.Diagnostics;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// tests/Nbtd.Tests/c/nbtd_client.c, compiled once per test run with gcc into a world-readable directory (so that a
/// client can run as another user): a real process that speaks docs/IPC.md itself, cheap enough to run a hundred.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class NativeDaemonClient
{
    private static readonly Lazy<Task<string>> Compiled = new(CompileAsync);

    /// <summary>The compiled program's path (compiled on first use; the test fails when gcc does).</summary>
    public static Task<string> PathAsync() => Compiled.Value;

    /// <summary>Starts the client with stdin/stdout redirected, optionally as another user (setpriv; needs root).</summary>
    public static Process Start(string program, string? asUser, params string[] args)
    {
        var start = asUser is null
            ? new ProcessStartInfo(program)
            : new ProcessStartInfo("setpriv", ["--reuid=" + asUser, "--regid=nogroup", "--clear-groups", "--", program]);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
    }

    /// <summary>The value after "<paramref name="field"/> " on the client's stdout (lines before it are skipped; at most
    /// 50 lines and <paramref name="limit"/>).</summary>
    public static async Task<string> ReadFieldAsync(Process client, string field, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        for (int i = 0; i < 50; i++)
        {
            string? line = await client.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                break;
            }

            if (line == field || line.StartsWith(field + " ", StringComparison.Ordinal))
            {
                return line.Length > field.Length ? line[(field.Length + 1)..] : string.Empty;
            }
        }

        Assert.Fail($"no '{field}' from the client; stderr: {await client.StandardError.ReadToEndAsync(timeout.Token)}");
        return string.Empty;
    }

    private static async Task<string> CompileAsync()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "c", "nbtd_client.c");
        if (!File.Exists(source))
        {
            source = Path.Combine(FindRoot(), "tests", "Nbtd.Tests", "c", "nbtd_client.c");
        }

        var directory = Directory.CreateTempSubdirectory("nbtd-client-");
        directory.UnixFileMode = (UnixFileMode)Convert.ToInt32("755", 8);
        string output = Path.Combine(directory.FullName, "nbtd_client");
        var start = new ProcessStartInfo("gcc", ["-std=c11", "-D_GNU_SOURCE", "-O2", "-Wall", "-Wextra", "-Werror", "-o", output, source])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var gcc = Process.Start(start) ?? throw new InvalidOperationException("gcc did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string errors = await gcc.StandardError.ReadToEndAsync(timeout.Token);
        await gcc.WaitForExitAsync(timeout.Token);
        return gcc.ExitCode == 0 ? output : throw new InvalidOperationException($"gcc {source} failed:\n{errors}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetBios.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NetBios.slnx not found above " + AppContext.BaseDirectory);
    }
}
