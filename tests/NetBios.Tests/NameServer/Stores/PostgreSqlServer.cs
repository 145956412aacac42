using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace NetBios.Tests.NameServer.Stores;

/// <summary>
/// A throw-away PostgreSQL server for the store tests: <c>initdb</c> into a temporary directory and <c>pg_ctl start</c>
/// on a free loopback port (and a unix socket in that directory), as the unprivileged user <c>nobody</c> when the tests
/// run as root; stopped and deleted on dispose. Where PostgreSQL is not installed the tests are skipped with the reason,
/// and fail when the environment variable CI is <c>true</c>.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private string? _root;
    private string? _bin;
    private int _schemas;

    /// <summary>Why there is no server (null when it runs).</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The connection string of the <c>postgres</c> database as the superuser <c>postgres</c> (trust auth, loopback only).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Skips the calling test with the reason when PostgreSQL is absent (fails instead when CI=true).</summary>
    public void Require()
    {
        if (Unavailable is null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"PostgreSQL is required in CI: {Unavailable}");
        }

        Assert.Skip(Unavailable);
    }

    /// <summary>A schema name no other test uses.</summary>
    public string NewSchema() => $"t{Environment.ProcessId}_{Interlocked.Increment(ref _schemas)}";

    public async ValueTask InitializeAsync()
    {
        // NBT_TEST_NO_POSTGRES=1 runs the suite as on a machine without PostgreSQL (to check the skip and CI paths).
        _bin = Environment.GetEnvironmentVariable("NBT_TEST_NO_POSTGRES") == "1" ? null : FindBin();
        if (_bin is null)
        {
            Unavailable = "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH; Debian: apt-get install postgresql)";
            return;
        }

        var cancellationToken = TestContext.Current.CancellationToken;
        _root = Directory.CreateTempSubdirectory("nbt-pg-").FullName;
        bool root = IsRoot;
        if (root)
        {
            // The temp directory (mode 0700) must belong to nobody: postgres refuses to run as root.
            await RunAsync("chown", ["nobody", _root], asNobody: false, cancellationToken);
        }

        string data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], root, cancellationToken);
        Port = FreePort();
        string options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200";
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_root, "log"), "-w", "-t", "60", "-o", options, "start"], root, cancellationToken);
        ConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    public async ValueTask DisposeAsync()
    {
        if (_root is null || _bin is null)
        {
            return;
        }

        try
        {
            bool root = IsRoot;
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], root, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Not running: nothing to stop.
        }

        Directory.Delete(_root, recursive: true);
    }

    private static string? FindBin()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var bins = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out int v) ? v : 0)
                .ToList();
            if (bins.Count > 0)
            {
                return bins[0];
            }
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments, bool asNobody, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asNobody ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asNobody)
        {
            foreach (string a in (string[])["-u", "nobody", "--", program])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // pg_ctl start leaves the server holding the pipes open: read what is there without waiting for EOF.
        if (process.ExitCode != 0)
        {
            string error = stderr.IsCompleted ? await stderr : string.Empty;
            string output = stdout.IsCompleted ? await stdout : string.Empty;
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}{output}");
        }
    }

    private static bool IsRoot => Environment.UserName == "root";
}
