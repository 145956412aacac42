using System.Diagnostics;

namespace Nbtd.Tests;

/// <summary>Runs the real <c>nbt</c> tool of this build (src/Nbt.Cli/bin/CONFIGURATION/net10.0/nbt.dll) to its end,
/// with the environment the test gives (NBT_DAEMON) and nothing of the machine's NBT_ variables.</summary>
internal static class NbtProcess
{
    /// <summary>nbt.dll of this build.</summary>
    public static string DllPath { get; } = Locate();

    /// <summary>Runs <c>nbt ARGS</c> (at most <paramref name="limit"/>, default 60 s).</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("NBT_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = dir.Parent?.Name ?? "Debug";
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NetBios.slnx")))
        {
            dir = dir.Parent;
        }

        string path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("no NetBios.slnx above " + AppContext.BaseDirectory),
            "src", "Nbt.Cli", "bin", configuration, "net10.0", "nbt.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"nbt.dll not built at {path}");
    }
}
