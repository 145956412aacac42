using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace NetBios.NameServer;

/// <summary>
/// Runs the change hook (Samba's <c>wins hook</c>) one change at a time in the background: the program gets its
/// arguments as a vector (<see cref="ProcessStartInfo.ArgumentList"/>), never through a shell, so a name with any
/// bytes in it cannot inject a command (Samba CVE-2025-10230). Each run is bounded by a timeout on the
/// <see cref="TimeProvider"/> and killed past it; the queue is bounded and drops what does not fit.
/// </summary>
internal sealed class WinsHookRunner : IAsyncDisposable
{
    private readonly string _program;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly WinsServerStatistics _statistics;
    private readonly ILogger _logger;
    private readonly Channel<string[]> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;

    public WinsHookRunner(string program, TimeSpan timeout, int queueLength, TimeProvider time, WinsServerStatistics statistics, ILogger logger)
    {
        _program = program;
        _timeout = timeout;
        _time = time;
        _statistics = statistics;
        _logger = logger;
        _queue = Channel.CreateBounded<string[]>(new BoundedChannelOptions(queueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Queues one run; never blocks (a full queue drops it).</summary>
    public void Enqueue(string[] arguments)
    {
        if (!_queue.Writer.TryWrite(arguments))
        {
            Interlocked.Increment(ref _statistics.HookDroppedField);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _worker.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var arguments in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                await RunOnceAsync(arguments).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task RunOnceAsync(string[] arguments)
    {
        var start = new ProcessStartInfo(_program)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Interlocked.Increment(ref _statistics.HookRunsField);
        Process? process = null;
        try
        {
            process = Process.Start(start);
            if (process is null)
            {
                Interlocked.Increment(ref _statistics.HookFailuresField);
                return;
            }

            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Interlocked.Increment(ref _statistics.HookFailuresField);
                WinsLog.HookTimedOut(_logger, _program, _timeout);
                return;
            }

            if (process.ExitCode != 0)
            {
                Interlocked.Increment(ref _statistics.HookFailuresField);
                WinsLog.HookFailed(_logger, _program, process.ExitCode);
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            Interlocked.Increment(ref _statistics.HookFailuresField);
            WinsLog.HookError(_logger, _program, ex);
        }
        finally
        {
            process?.Dispose();
        }
    }
}
