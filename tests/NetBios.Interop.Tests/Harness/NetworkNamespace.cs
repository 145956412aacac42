using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// A private Linux network namespace owned by one test: <c>lo</c> up, IPv6 disabled (clean captures), nothing
/// connected to the host. Name: <c>nbi&lt;pid&gt;-&lt;n&gt;</c> (≤ 15 characters), unique per process and call.
/// <para>
/// Commands: <see cref="RunAsync(string, string[])"/> (<c>ip netns exec NAME …</c>, bounded), daemons:
/// <see cref="StartProcess"/>. Our own sockets: <see cref="Enter{T}(Func{T}, TimeSpan?)"/>.
/// </para>
/// <para>
/// <see cref="DisposeAsync"/> SIGTERMs, then SIGKILLs, every PID still inside the namespace (from
/// <c>ip netns pids</c>, never by name) and deletes it. Namespaces left behind by a crashed run (our prefix,
/// creator PID no longer alive) are deleted the first time a namespace is created in a process.
/// </para>
/// </summary>
public sealed partial class NetworkNamespace : IAsyncDisposable
{
    /// <summary>Name prefix of every namespace this harness creates (and the only ones it ever deletes).</summary>
    public const string Prefix = "nbi";

    private static int s_counter;
    private static readonly Lazy<Task> s_staleCleanup = new(CleanupStaleAsync);

    private readonly List<NamespaceProcess> _processes = [];
    private readonly Lock _lock = new();
    private int _disposed;

    private NetworkNamespace(string name, string? hint)
    {
        Name = name;
        Hint = hint;
    }

    /// <summary>The namespace name (as in <c>ip netns list</c>).</summary>
    public string Name { get; }

    /// <summary>Free text given at creation (shown in logs only).</summary>
    public string? Hint { get; }

    /// <summary>The bind-mounted namespace file, <c>/run/netns/NAME</c>.</summary>
    public string FilePath => "/run/netns/" + Name;

    /// <summary>Default bound for <see cref="Enter{T}(Func{T}, TimeSpan?)"/>.</summary>
    public static readonly TimeSpan DefaultEnterTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates a namespace with <c>lo</c> up and IPv6 disabled.</summary>
    /// <param name="hint">Free text for logs (e.g. "bridge", "host1").</param>
    /// <param name="cancellationToken">Cancels the setup commands.</param>
    public static async Task<NetworkNamespace> CreateAsync(string? hint = null, CancellationToken cancellationToken = default)
    {
        await s_staleCleanup.Value;
        var name = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        (await ProcessRunner.RunAsync(InteropRequirements.Tool("ip"), ["netns", "add", name], cancellationToken: cancellationToken))
            .EnsureSuccess();
        var ns = new NetworkNamespace(name, hint);
        try
        {
            await ns.DisableIpv6Async(["all", "default", "lo"], cancellationToken);
            (await ns.IpAsync(["link", "set", "lo", "up"], cancellationToken)).EnsureSuccess();
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        return ns;
    }

    /// <summary>Runs <c>ip netns exec NAME file args…</c> with <see cref="ProcessRunner.DefaultTimeout"/>.</summary>
    public Task<CommandResult> RunAsync(string file, params string[] args) => RunAsync(file, args, null);

    /// <summary>
    /// Runs <c>ip netns exec NAME file args…</c> (file resolved via PATH and sbin dirs), bounded by
    /// <paramref name="timeout"/>; stdin is closed (or fed <paramref name="stdin"/>).
    /// </summary>
    public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan? timeout, string? stdin = null,
        string? workingDirectory = null, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(InteropRequirements.Tool("ip"), ExecArgs(file, args), timeout, stdin, workingDirectory, cancellationToken);

    /// <summary>Runs <c>ip -n NAME args…</c> (no exec needed for ip itself).</summary>
    public Task<CommandResult> IpAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(InteropRequirements.Tool("ip"), ["-n", Name, .. args], cancellationToken: cancellationToken);

    /// <summary>Sets <c>net.ipv6.conf.IFACE.disable_ipv6=1</c> inside the namespace for each interface.</summary>
    public async Task DisableIpv6Async(IEnumerable<string> interfaces, CancellationToken cancellationToken = default)
    {
        var settings = interfaces.Select(i => $"net.ipv6.conf.{i}.disable_ipv6=1").ToList();
        var r = await RunAsync("sysctl", ["-qw", .. settings], null, cancellationToken: cancellationToken);
        if (!r.Succeeded)
        {
            // A kernel without IPv6 has no such keys: nothing to disable then.
            HarnessLog.Write($"{Name}: could not disable IPv6 ({r.StdErr.Trim()})");
        }
    }

    /// <summary>
    /// Starts a long-running process inside the namespace (<c>ip netns exec NAME file args…</c>); the returned
    /// handle's PID is the process itself. Stopped by the handle or, at the latest, by this namespace's dispose.
    /// </summary>
    public NamespaceProcess StartProcess(string file, IReadOnlyList<string> args, string? workingDirectory = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var p = NamespaceProcess.Start(InteropRequirements.Tool("ip"), ExecArgs(file, args), workingDirectory);
        lock (_lock)
        {
            _processes.Add(p);
        }

        return p;
    }

    /// <summary>PIDs of every process whose network namespace is this one (<c>ip netns pids</c>), minus ours.</summary>
    public async Task<IReadOnlyList<int>> PidsAsync(CancellationToken cancellationToken = default) => await PidsOfAsync(Name, cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> on a fresh dedicated thread that first joined this namespace with
    /// <c>setns(open("/run/netns/NAME"), CLONE_NEWNET)</c>, and returns its result.
    /// <para>
    /// A socket belongs to the namespace of the thread that CREATED it, for its whole life: a
    /// <see cref="System.Net.Sockets.Socket"/> created inside the action keeps using this namespace after the
    /// action returns, from any thread, including async I/O. Rule: create the socket inside, and do bind/connect
    /// inside too (APIs such as TcpClient(host, port) or DnsEndPoint connects create their fd lazily, i.e.
    /// possibly outside). Keep the action synchronous — continuations of an await would run on other threads,
    /// in the root namespace. The thread ends after the action, so nothing else ever runs in the namespace.
    /// </para>
    /// </summary>
    public T Enter<T>(Func<T> action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var fd = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read))
                {
                    if (Native.SetNs(fd, Native.CloneNewNet) != 0)
                    {
                        throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns({FilePath}, CLONE_NEWNET) failed");
                    }
                }

                result = action();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + Name,
        };
        thread.Start();
        var limit = timeout ?? DefaultEnterTimeout;
        if (!thread.Join(limit))
        {
            throw new TimeoutException($"action inside namespace {Name} did not finish within {limit.TotalSeconds:F0} s");
        }

        error?.Throw();
        return result;
    }

    /// <summary><see cref="Enter{T}(Func{T}, TimeSpan?)"/> for actions without a result.</summary>
    public void Enter(Action action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        Enter<object?>(() =>
        {
            action();
            return null;
        }, timeout);
    }

    /// <summary>Kills every process left in the namespace (by PID) and deletes it. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NamespaceProcess[] tracked;
        lock (_lock)
        {
            tracked = [.. _processes];
        }

        await Task.WhenAll(tracked.Select(p => p.DisposeAsync().AsTask()));
        await KillAllAsync(Name);
        var r = await ProcessRunner.RunAsync(InteropRequirements.Tool("ip"), ["netns", "delete", Name], cancellationToken: CancellationToken.None);
        if (!r.Succeeded)
        {
            HarnessLog.Write($"could not delete namespace {Name}: {r}");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Hint is null ? Name : $"{Name} ({Hint})";

    private List<string> ExecArgs(string file, IReadOnlyList<string> args) =>
        ["netns", "exec", Name, InteropRequirements.TryFind(file) ?? file, .. args];

    private static async Task<IReadOnlyList<int>> PidsOfAsync(string name, CancellationToken cancellationToken)
    {
        var r = await ProcessRunner.RunAsync(InteropRequirements.Tool("ip"), ["netns", "pids", name], TimeSpan.FromSeconds(10),
            cancellationToken: cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken.None);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var pid) ? pid : 0)
            .Where(pid => pid > 1 && pid != Environment.ProcessId)
            .ToList();
    }

    /// <summary>SIGTERM every PID in the namespace, wait ≤ 3 s, SIGKILL the rest, wait ≤ 2 s; repeats for late forks.</summary>
    private static async Task KillAllAsync(string name)
    {
        for (var round = 0; round < 3; round++)
        {
            var pids = await PidsOfAsync(name, CancellationToken.None);
            if (pids.Count == 0)
            {
                return;
            }

            HarnessLog.Write($"{name}: stopping leftover PIDs {string.Join(' ', pids)}");
            foreach (var pid in pids)
            {
                Native.Signal(pid, Native.SigTerm);
            }

            if (!await WaitGoneAsync(pids, TimeSpan.FromSeconds(3)))
            {
                foreach (var pid in pids.Where(IsAlive))
                {
                    Native.Signal(pid, Native.SigKill);
                }

                await WaitGoneAsync(pids, TimeSpan.FromSeconds(2));
            }
        }
    }

    private static async Task<bool> WaitGoneAsync(IReadOnlyList<int> pids, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (pids.Any(IsAlive))
        {
            if (sw.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(25, CancellationToken.None);
        }

        return true;
    }

    /// <summary>Alive = /proc/PID exists and is not a zombie.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterComm = stat.LastIndexOf(')');
            return afterComm < 0 || afterComm + 2 >= stat.Length || stat[afterComm + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^nbi(?<pid>[0-9]+)-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnNamePattern();

    /// <summary>
    /// Deletes namespaces named by this harness whose creator process is gone (crashed/killed earlier run),
    /// or whose PID was reused by a process that started after the namespace was created. Namespaces of
    /// other live test processes (parallel runs in other worktrees) are left alone.
    /// </summary>
    private static async Task CleanupStaleAsync()
    {
        CleanupStaleWorkDirectories();
        if (!Directory.Exists("/run/netns"))
        {
            return;
        }

        foreach (var path in Directory.GetFiles("/run/netns"))
        {
            var name = Path.GetFileName(path);
            var m = OwnNamePattern().Match(name);
            if (!m.Success || !int.TryParse(m.Groups["pid"].Value, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            if (IsAlive(pid) && !StartedAfter(pid, File.GetLastWriteTimeUtc(path)))
            {
                continue;
            }

            await KillAllAsync(name);
            var r = await ProcessRunner.RunAsync(InteropRequirements.Tool("ip"), ["netns", "delete", name], cancellationToken: CancellationToken.None);
            HarnessLog.Write($"stale namespace {name} (creator PID {pid} gone): {(r.Succeeded ? "deleted" : r.ToString())}");
        }
    }

    /// <summary>Deletes <c>/tmp/nbi&lt;pid&gt;-…</c> Samba work directories (<see cref="SambaConfig"/>) of dead creator PIDs.</summary>
    private static void CleanupStaleWorkDirectories()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var m = StaleDirPattern().Match(Path.GetFileName(dir));
            if (m.Success && int.TryParse(m.Groups["pid"].Value, out var pid) && pid != Environment.ProcessId
                && (!IsAlive(pid) || StartedAfter(pid, Directory.GetCreationTimeUtc(dir))))
            {
                SambaConfig.DeleteWorkDirectory(dir);
            }
        }
    }

    [GeneratedRegex(@"^nbi(?<pid>[0-9]+)-[0-9]+-[a-z]+\.", RegexOptions.CultureInvariant)]
    private static partial Regex StaleDirPattern();

    private static bool StartedAfter(int pid, DateTime utc)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.StartTime.ToUniversalTime() > utc.AddSeconds(1);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
        {
            return false;
        }
    }
}
