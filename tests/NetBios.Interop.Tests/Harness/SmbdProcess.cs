using System.Diagnostics;
using System.Net;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Samba smbd in the foreground inside a namespace with its own temp smb.conf (smb ports = 139 by default,
/// server min protocol NT1, guest read-only [share] with hello.txt): <c>smbd -F --debug-stdout -d N -s CONF</c>.
/// <para>
/// Never add --no-process-group: on SIGTERM smbd does kill(0, SIGTERM), which without its own session would
/// hit the test host (docs/INTEROP.md §2 pitfall 1). smbd starts samba-dcerpcd/rpcd_* on demand; they are
/// re-parented to PID 1 and outlive smbd, so <see cref="StopAsync"/> also stops, by PID, every process in the
/// namespace whose command line names this conf, and the namespace's dispose kills whatever is left.
/// </para>
/// </summary>
public sealed class SmbdProcess : IAsyncDisposable
{
    private SmbdProcess(NetworkNamespace ns, SmbdOptions options, string directory, string configPath, NamespaceProcess process)
    {
        Namespace = ns;
        Options = options;
        Directory = directory;
        ConfigPath = configPath;
        Process = process;
    }

    /// <summary>Where it runs.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>Options it was started with.</summary>
    public SmbdOptions Options { get; }

    /// <summary>Its temp work directory (share/ holds hello.txt).</summary>
    public string Directory { get; }

    /// <summary>Its smb.conf.</summary>
    public string ConfigPath { get; }

    /// <summary>The smbd parent process.</summary>
    public NamespaceProcess Process { get; }

    /// <summary>Everything the smbd parent logged so far (per-connection children log there too with --debug-stdout).</summary>
    public string Log => Process.Output;

    /// <summary>First configured port's endpoint (Address:139 by default).</summary>
    public IPEndPoint Endpoint => new(Options.Address, Options.Ports[0]);

    /// <summary>Time from launch until every port listened.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Starts smbd and waits (≤ <see cref="SmbdOptions.StartTimeout"/>) until every configured TCP port listens.</summary>
    public static async Task<SmbdProcess> StartAsync(NetworkNamespace ns, SmbdOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(options);
        var ct = ProcessRunner.Token(cancellationToken);
        foreach (var port in options.Ports)
        {
            if (await IsListeningAsync(ns, port, ct))
            {
                throw new InvalidOperationException($"TCP port {port} already bound in {ns}");
            }
        }

        var dir = SambaConfig.CreateWorkDirectory("smbd");
        var conf = SambaConfig.WriteSmbd(dir, options);
        var sw = Stopwatch.StartNew();
        var process = ns.StartProcess("smbd", ["-F", "--debug-stdout", "-d", options.LogLevel.ToString(), "-s", conf], dir);
        var smbd = new SmbdProcess(ns, options, dir, conf, process);
        try
        {
            var pending = options.Ports.ToList();
            while (pending.Count > 0)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"smbd exited with {process.ExitCode} during start in {ns}:\n{smbd.Log}");
                }

                if (sw.Elapsed > options.StartTimeout)
                {
                    throw new TimeoutException($"smbd in {ns} not listening on {string.Join(',', pending)} within {options.StartTimeout.TotalSeconds:F0} s:\n{smbd.Log}");
                }

                if (await IsListeningAsync(ns, pending[0], ct))
                {
                    pending.RemoveAt(0);
                    continue;
                }

                await Task.Delay(50, ct);
            }
        }
        catch
        {
            await smbd.DisposeAsync();
            throw;
        }

        smbd.StartupTime = sw.Elapsed;
        HarnessLog.Write($"smbd {options.NetbiosName} in {ns} on {options.Address}:{string.Join(',', options.Ports)}: listening after {sw.ElapsedMilliseconds} ms (PID {process.Pid})");
        return smbd;
    }

    /// <summary>Waits (bounded) until the log contains <paramref name="text"/>.</summary>
    public Task<bool> WaitForLogAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Process.WaitForOutputAsync(text, timeout, cancellationToken);

    /// <summary>
    /// SIGTERM smbd (it signals its own children), then TERM/KILL by PID every process in the namespace still
    /// using this conf (samba-dcerpcd, rpcd_*, connection children). True when all are gone.
    /// </summary>
    public async Task<bool> StopAsync()
    {
        var stopped = await Process.StopAsync();
        foreach (var signal in new[] { Native.SigTerm, Native.SigKill })
        {
            var pids = (await Namespace.PidsAsync(CancellationToken.None)).Where(UsesOurConf).ToList();
            if (pids.Count == 0)
            {
                return stopped;
            }

            pids.ForEach(pid => Native.Signal(pid, signal));
            var sw = Stopwatch.StartNew();
            while (pids.Any(UsesOurConf) && sw.Elapsed < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(25, CancellationToken.None);
            }
        }

        return stopped && !(await Namespace.PidsAsync(CancellationToken.None)).Any(UsesOurConf);
    }

    /// <summary>Stops smbd and its helpers and deletes the work directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Process.DisposeAsync();
        SambaConfig.DeleteWorkDirectory(Directory);
    }

    private bool UsesOurConf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(ConfigPath, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static async Task<bool> IsListeningAsync(NetworkNamespace ns, int port, CancellationToken ct)
    {
        var r = await ns.RunAsync("ss", ["-Hltn", $"sport = :{port}"], TimeSpan.FromSeconds(5), cancellationToken: ct);
        return r.StdOut.Trim().Length > 0;
    }
}
