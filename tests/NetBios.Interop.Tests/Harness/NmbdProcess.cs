using System.Diagnostics;
using System.Net;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Samba nmbd running in the foreground inside a namespace with its own temp smb.conf:
/// <c>nmbd -F --debug-stdout -d N -s CONF -p PORT</c> (no --no-process-group: nmbd calls setsid() itself).
/// <see cref="StartAsync"/> returns once nmbd answers a unicast NBNS query for its own NAME&lt;00&gt;.
/// </summary>
public sealed class NmbdProcess : IAsyncDisposable
{
    private NmbdProcess(NetworkNamespace ns, NmbdOptions options, string directory, string configPath, IPAddress address, NamespaceProcess process)
    {
        Namespace = ns;
        Options = options;
        Directory = directory;
        ConfigPath = configPath;
        Address = address;
        Process = process;
    }

    /// <summary>Where it runs.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>Options it was started with.</summary>
    public NmbdOptions Options { get; }

    /// <summary>Its temp work directory (lock/state/cache/..., wins.dat under state/).</summary>
    public string Directory { get; }

    /// <summary>Its smb.conf.</summary>
    public string ConfigPath { get; }

    /// <summary>Its non-loopback address (what its own names resolve to).</summary>
    public IPAddress Address { get; }

    /// <summary>NBNS endpoint (Address:Port).</summary>
    public IPEndPoint Endpoint => new(Address, Options.Port);

    /// <summary>The daemon process (PID, output).</summary>
    public NamespaceProcess Process { get; }

    /// <summary>Everything nmbd logged so far (--debug-stdout).</summary>
    public string Log => Process.Output;

    /// <summary>Time from launch until it answered for its own name.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Starts nmbd and waits (≤ <see cref="NmbdOptions.StartTimeout"/>) until it serves.</summary>
    public static async Task<NmbdProcess> StartAsync(NetworkNamespace ns, NmbdOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(options);
        var ct = ProcessRunner.Token(cancellationToken);
        var address = options.ResolveAddress();
        var (probeTarget, probeBroadcast) = options.ResolveProbe();

        // Samba sets SO_REUSEPORT: a second nmbd on the same port starts silently and steals half the queries (pitfall 4).
        var ss = await ns.RunAsync("ss", ["-Hlun", $"sport = :{options.Port}"], null, cancellationToken: ct);
        if (ss.StdOut.Trim().Length > 0)
        {
            throw new InvalidOperationException($"UDP port {options.Port} already bound in {ns}: {ss.StdOut.Trim()}");
        }

        var dir = SambaConfig.CreateWorkDirectory("nmbd");
        var conf = SambaConfig.WriteNmbd(dir, options);
        var sw = Stopwatch.StartNew();
        var process = ns.StartProcess("nmbd", ["-F", "--debug-stdout", "-d", options.LogLevel.ToString(), "-s", conf, "-p", options.Port.ToString()], dir);
        var nmbd = new NmbdProcess(ns, options, dir, conf, address, process);
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"nmbd exited with {process.ExitCode} during start in {ns}:\n{nmbd.Log}");
                }

                if (sw.Elapsed > options.StartTimeout)
                {
                    throw new TimeoutException($"nmbd in {ns} did not answer for {options.NetbiosName}<00> at {probeTarget} within {options.StartTimeout.TotalSeconds:F0} s:\n{nmbd.Log}");
                }

                var answer = await NbnsProbe.QueryAsync(ns, probeTarget, options.NetbiosName, 0x00, broadcast: probeBroadcast, recursionDesired: false,
                    TimeSpan.FromMilliseconds(250), ct);
                if (answer is not null)
                {
                    break;
                }

                await Task.Delay(100, ct);
            }
        }
        catch
        {
            await nmbd.DisposeAsync();
            throw;
        }

        nmbd.StartupTime = sw.Elapsed;
        HarnessLog.Write($"nmbd {options.NetbiosName} (wins={(options.WinsSupport ? "yes" : "no")}) in {ns} at {nmbd.Endpoint}: answers {(probeBroadcast ? "broadcast" : "unicast")} query after {sw.ElapsedMilliseconds} ms (PID {process.Pid})");
        return nmbd;
    }

    /// <summary>Waits (bounded) until the log contains <paramref name="text"/>.</summary>
    public Task<bool> WaitForLogAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Process.WaitForOutputAsync(text, timeout, cancellationToken);

    /// <summary>SIGTERM (then SIGKILL) by PID; nmbd writes state/wins.dat on exit.</summary>
    public Task<bool> StopAsync() => Process.StopAsync();

    /// <summary>Stops nmbd and deletes its work directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        SambaConfig.DeleteWorkDirectory(Directory);
    }
}
