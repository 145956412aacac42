using System.Text;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Writes smb.conf files whose every Samba path (lock/state/cache/pid/private/ncalrpc/binddns dir, logs,
/// usershares) lies inside one temp directory, like the lib.sh of docs/INTEROP.md §0 — nothing system-wide is touched.
/// </summary>
public static class SambaConfig
{
    private static int s_counter;

    /// <summary>Creates a fresh world-traversable work directory <c>/tmp/nbi&lt;pid&gt;-&lt;n&gt;-&lt;kind&gt;.XXXX</c>.</summary>
    public static string CreateWorkDirectory(string kind)
    {
        var dir = Directory.CreateTempSubdirectory($"nbi{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}-{kind}.").FullName;
        // smbd serves the share as guest 'nobody': the path down to it must be traversable.
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        return dir;
    }

    /// <summary>Deletes a work directory, ignoring what cannot be deleted.</summary>
    public static void DeleteWorkDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            HarnessLog.Write($"could not delete {dir}: {e.Message}");
        }
    }

    /// <summary>Writes <c>dir/smb.conf</c> for nmbd and returns its path.</summary>
    public static string WriteNmbd(string dir, NmbdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sb = Global(options.NetbiosName, options.Workgroup, options.Interfaces, options.LogLevel);
        Line(sb, "wins support", options.WinsSupport ? "yes" : "no");
        Line(sb, "dns proxy", "no");
        Paths(sb, dir);
        Extra(sb, options.ExtraLines);
        return Write(dir, sb);
    }

    /// <summary>Writes <c>dir/smb.conf</c> for smbd (guest read-only [share] at dir/share with hello.txt) and returns its path.</summary>
    public static string WriteSmbd(string dir, SmbdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var share = Path.Combine(dir, "share");
        Directory.CreateDirectory(share);
        File.SetUnixFileMode(share, (UnixFileMode)0b111_111_111);
        var hello = Path.Combine(share, "hello.txt");
        File.WriteAllText(hello, "hello\n");
        File.SetUnixFileMode(hello, (UnixFileMode)0b110_100_100);

        var sb = Global(options.NetbiosName, options.Workgroup, options.Interfaces, options.LogLevel);
        Line(sb, "smb ports", string.Join(' ', options.Ports));
        Line(sb, "server min protocol", options.ServerMinProtocol);
        Line(sb, "map to guest", "bad user");
        Line(sb, "guest account", "nobody");
        Line(sb, "load printers", "no");
        Line(sb, "printing", "bsd");
        Line(sb, "printcap name", "/dev/null");
        Line(sb, "disable spoolss", "yes");
        Paths(sb, dir);
        foreach (var (name, target) in options.Retargets)
        {
            // Parametric option; only honoured for connections that arrived on port 139 (docs/INTEROP.md §2).
            Line(sb, $"netbios retarget:{name}", target);
        }

        Extra(sb, options.ExtraLines);
        sb.Append("[share]\n");
        Line(sb, "path", share);
        Line(sb, "guest ok", "yes");
        Line(sb, "read only", "yes");
        return Write(dir, sb);
    }

    /// <summary>
    /// Writes a client conf (for nmblookup/smbclient) whose interfaces are the client namespace's own
    /// address (docs/INTEROP.md §3 pitfall 5) and returns its path.
    /// </summary>
    public static string WriteClient(string dir, string netbiosName, string workgroup, string interfaces, IEnumerable<string>? extraLines = null)
    {
        var sb = Global(netbiosName, workgroup, interfaces, 0);
        Line(sb, "client min protocol", "NT1");
        Paths(sb, dir);
        Extra(sb, extraLines ?? []);
        return Write(dir, sb);
    }

    private static StringBuilder Global(string netbiosName, string workgroup, string interfaces, int logLevel)
    {
        var sb = new StringBuilder("[global]\n");
        Line(sb, "netbios name", netbiosName);
        Line(sb, "workgroup", workgroup);
        Line(sb, "server role", "standalone server");
        Line(sb, "interfaces", interfaces);
        Line(sb, "bind interfaces only", "yes");
        Line(sb, "disable netbios", "no");
        Line(sb, "log level", logLevel.ToString());
        return sb;
    }

    private static void Paths(StringBuilder sb, string dir)
    {
        foreach (var sub in new[] { "lock", "state", "cache", "pid", "private", "ncalrpc", "binddns", "log" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        File.SetUnixFileMode(Path.Combine(dir, "private"), (UnixFileMode)0b111_000_000);
        Line(sb, "lock directory", Path.Combine(dir, "lock"));
        Line(sb, "state directory", Path.Combine(dir, "state"));
        Line(sb, "cache directory", Path.Combine(dir, "cache"));
        Line(sb, "pid directory", Path.Combine(dir, "pid"));
        Line(sb, "private dir", Path.Combine(dir, "private"));
        Line(sb, "ncalrpc dir", Path.Combine(dir, "ncalrpc"));
        Line(sb, "binddns dir", Path.Combine(dir, "binddns"));
        Line(sb, "log file", Path.Combine(dir, "log", "log.%m"));
        Line(sb, "max log size", "0");
        Line(sb, "usershare path", Path.Combine(dir, "usershares"));
        Line(sb, "usershare max shares", "0");
    }

    private static void Extra(StringBuilder sb, IEnumerable<string> lines)
    {
        foreach (var l in lines)
        {
            sb.Append("  ").Append(l).Append('\n');
        }
    }

    private static void Line(StringBuilder sb, string key, string value) => sb.Append("  ").Append(key).Append(" = ").Append(value).Append('\n');

    private static string Write(string dir, StringBuilder sb)
    {
        var path = Path.Combine(dir, "smb.conf");
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
