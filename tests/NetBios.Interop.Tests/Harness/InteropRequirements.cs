using System.Collections.Concurrent;
using Xunit;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Checks that the interop peers are present. <see cref="Require"/> skips the test when something is
/// missing — except when the environment variable <c>CI</c> is <c>true</c>: then it FAILS, because CI must
/// never silently skip interop.
/// </summary>
public static class InteropRequirements
{
    /// <summary>Requirement keys understood by <see cref="Require"/>.</summary>
    public const string Root = "root", Ip = "ip", Nmbd = "nmbd", Smbd = "smbd", Nmblookup = "nmblookup",
        Smbclient = "smbclient", Impacket = "impacket", Tshark = "tshark";

    /// <summary>The python that has impacket (the pyenv python3 on PATH does not, docs/INTEROP.md §2 pitfall 5).</summary>
    public const string SystemPython = "/usr/bin/python3";

    /// <summary>Everything but tshark: what <see cref="Require"/> checks when called with no arguments.</summary>
    public static readonly IReadOnlyList<string> All = [Root, Ip, Nmbd, Smbd, Nmblookup, Smbclient, Impacket];

    private static readonly string[] s_sbinDirs = ["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin"];
    private static readonly ConcurrentDictionary<string, string?> s_problems = new(StringComparer.Ordinal);

    /// <summary>True when CI=true: missing requirements fail instead of skipping.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Skips (or, under CI=true, fails) the current test unless every requirement in <paramref name="what"/>
    /// (keys: root, ip, nmbd, smbd, nmblookup, smbclient, impacket, tshark; none = <see cref="All"/>) is met.
    /// </summary>
    public static void Require(params string[] what)
    {
        var keys = what.Length == 0 ? All : what;
        var missing = keys.Select(k => s_problems.GetOrAdd(k, Check)).OfType<string>().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var message = "interop requirements missing: " + string.Join("; ", missing);
        if (IsCi)
        {
            Assert.Fail(message + " (CI=true: interop tests must not be skipped; run .ci/ setup as root)");
        }

        Assert.Skip(message);
    }

    /// <summary>Full path of an executable (searches PATH and the sbin directories a test runner's PATH may lack).</summary>
    public static string Tool(string name) =>
        TryFind(name) ?? throw new FileNotFoundException($"'{name}' not found on PATH or in {string.Join(", ", s_sbinDirs)}");

    /// <summary>Full path of an executable, or null.</summary>
    public static string? TryFind(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        return path.Concat(s_sbinDirs).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    private static string? Check(string key)
    {
        switch (key)
        {
            case Root:
                return OperatingSystem.IsLinux() && Native.GetEffectiveUserId() == 0 ? null : "not running as root on Linux (network namespaces need it)";
            case Ip or Nmbd or Smbd or Nmblookup or Smbclient or Tshark:
                return TryFind(key) is null ? $"'{key}' not installed" : null;
            case Impacket:
                if (!File.Exists(SystemPython))
                {
                    return $"{SystemPython} missing";
                }

                try
                {
                    var r = ProcessRunner.RunAsync(SystemPython, ["-c", "import impacket"], TimeSpan.FromSeconds(15), cancellationToken: CancellationToken.None)
                        .GetAwaiter().GetResult();
                    return r.Succeeded ? null : $"{SystemPython} cannot import impacket (apt-get install python3-impacket)";
                }
                catch (Exception e) when (e is TimeoutException or IOException or System.ComponentModel.Win32Exception)
                {
                    return $"{SystemPython} -c 'import impacket' failed: {e.Message}";
                }

            default:
                throw new ArgumentException($"unknown interop requirement '{key}'", nameof(key));
        }
    }
}
