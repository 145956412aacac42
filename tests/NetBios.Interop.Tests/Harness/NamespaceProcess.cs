using System.Diagnostics;
using System.Text;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// A long-running process (daemon) started inside a <see cref="NetworkNamespace"/>. stdout and stderr are
/// collected (interleaved, line by line) into <see cref="Output"/>. Stop with <see cref="StopAsync"/>:
/// SIGTERM, then SIGKILL after a bounded grace period. Processes it forks are NOT covered — the namespace's
/// dispose kills every PID left in the namespace.
/// </summary>
public sealed class NamespaceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private int _disposed;

    private NamespaceProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    /// <summary>What was started.</summary>
    public string CommandLine { get; }

    /// <summary>PID of the daemon itself (`ip netns exec` execs into the command, so no wrapper PID).</summary>
    public int Pid => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => Volatile.Read(ref _disposed) != 0 || _process.HasExited;

    /// <summary>Exit code, or null while running.</summary>
    public int? ExitCode => Volatile.Read(ref _disposed) == 0 && _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the process printed so far (stdout and stderr, line-interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    internal static NamespaceProcess Start(string file, IReadOnlyList<string> args, string? workingDirectory)
    {
        var psi = ProcessRunner.NewStartInfo(file, args, workingDirectory);
        var process = new Process { StartInfo = psi };
        var handle = new NamespaceProcess(process, ProcessRunner.Describe(file, args));
        process.OutputDataReceived += (_, e) => handle.Append(e.Data);
        process.ErrorDataReceived += (_, e) => handle.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {handle.CommandLine}");
        }

        // stdin stays an open pipe on purpose: Samba daemons in -F mode watch a FIFO stdin and exit on its EOF
        // ("EOF on stdin"), so closing it at start kills them — and if the test host dies, they die with it.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handle;
    }

    /// <summary>Writes one line to the process's stdin (an open pipe) and flushes it.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes the process's stdin: programs reading it see end of file.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits (bounded) until <see cref="Output"/> contains <paramref name="text"/>; false on timeout or exit.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var ct = ProcessRunner.Token(cancellationToken);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (HasExited)
            {
                return false;
            }

            await Task.Delay(50, ct);
        }

        return Output.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>
    /// SIGTERM, wait up to <paramref name="grace"/> (default 3 s) for exit, then SIGKILL and wait up to 2 s more.
    /// Returns true when the process is gone.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan? grace = null)
    {
        if (HasExited)
        {
            return true;
        }

        Native.Signal(Pid, Native.SigTerm);
        if (await WaitExitAsync(grace ?? TimeSpan.FromSeconds(3)))
        {
            return true;
        }

        HarnessLog.Write($"PID {Pid} ignored SIGTERM, sending SIGKILL: {CommandLine}");
        Native.Signal(Pid, Native.SigKill);
        return await WaitExitAsync(TimeSpan.FromSeconds(2));
    }

    /// <summary>Stops the process (see <see cref="StopAsync"/>) and releases the handle.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await StopAsync();
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _process.Dispose();
        }
    }

    // Poll HasExited instead of WaitForExitAsync: the latter also waits for EOF on the redirected pipes, which
    // children that inherited them (smbd's samba-dcerpcd) keep open long after the daemon itself exited.
    private async Task<bool> WaitExitAsync(TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!HasExited && sw.Elapsed < timeout)
        {
            await Task.Delay(25, CancellationToken.None);
        }

        return HasExited;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }
}
