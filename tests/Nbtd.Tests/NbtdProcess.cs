using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Xunit;

namespace Nbtd.Tests;

/// <summary>The real nbtd (nbtd.dll of this build, run with <c>dotnet</c>), its output captured line by line.</summary>
internal sealed partial class NbtdProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private NbtdProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>nbtd.dll of this build (src/Nbtd/bin/CONFIGURATION/net10.0, built first through the project reference).</summary>
    public static string DllPath { get; } = Locate();

    /// <summary>The nbtd process's id (for its /proc figures).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The local IPC socket this nbtd serves (a fresh temporary path unless the test gave <c>--Ipc:</c> keys).</summary>
    public string? SocketPath { get; private init; }

    /// <summary>Everything written to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts nbtd with <paramref name="args"/>, with no NBTD_ variables but <paramref name="environment"/>, and
    /// a default configuration path that does not exist (the machine's /etc/nbtd/nbtd.json is not read: --config is
    /// given whenever a test wants a file).</summary>
    public static NbtdProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        var given = args.ToList();
        foreach (string arg in given)
        {
            info.ArgumentList.Add(arg);
        }

        // Each nbtd serves local programs on its own socket (the default /run/nbtd/nbtd.sock is the machine's).
        string? socketPath = null;
        if (!given.Any(a => a.StartsWith("--Ipc:", StringComparison.OrdinalIgnoreCase)))
        {
            socketPath = Path.Combine(Directory.CreateTempSubdirectory("nbtd-ipc-").FullName, "nbtd.sock");
            info.ArgumentList.Add($"--Ipc:SocketPath={socketPath}");
        }

        // Each nbtd keeps its held names in its own file (the default /var/lib/nbt/held-names is the machine's).
        if (!given.Any(a => a.StartsWith("--HeldNamesFile", StringComparison.OrdinalIgnoreCase)))
        {
            info.ArgumentList.Add($"--HeldNamesFile={Path.Combine(Directory.CreateTempSubdirectory("nbtd-state-").FullName, "held-names")}");
        }

        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("NBTD_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new NbtdProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start")) { SocketPath = socketPath };
    }

    /// <summary>Runs nbtd to its end (at most <paramref name="limit"/>).</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? limit = null)
    {
        await using var nbtd = Start(args, environment);
        int exit = await nbtd.WaitForExitAsync(limit ?? TimeSpan.FromSeconds(60));
        return (exit, nbtd.Stdout, nbtd.Stderr);
    }

    /// <summary>Waits until stdout has a line containing <paramref name="text"/> (fails after <paramref name="limit"/> or if nbtd exits).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                Assert.Fail($"nbtd exited ({_process.ExitCode}) before printing '{text}'.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }

            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"nbtd did not print '{text}' within {limit}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }
        }
    }

    /// <summary>Sends SIGTERM, as systemd stops a service.</summary>
    public void Terminate() => Assert.Equal(0, Kill(_process.Id, SigTerm));

    /// <summary>Waits for the exit (killing it after <paramref name="limit"/>) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"nbtd still running after {limit}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        _process.WaitForExit(); // flushes the asynchronous output readers
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                to.AppendLine(line);
            }
        }
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
            "src", "Nbtd", "bin", configuration, "net10.0", "nbtd.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"nbtd.dll not built at {path}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
