namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Third-party clients run inside a namespace: nmblookup and smbclient (each with a private client conf whose
/// interfaces are the namespace's own address, <c>-d0</c>, stdin closed) and impacket via /usr/bin/python3.
/// </summary>
public sealed class SambaClient : IDisposable
{
    private SambaClient(NetworkNamespace ns, string directory, string configPath)
    {
        Namespace = ns;
        Directory = directory;
        ConfigPath = configPath;
    }

    /// <summary>Where the tools run.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>Temp directory of the client conf.</summary>
    public string Directory { get; }

    /// <summary>The client smb.conf (pass with -s).</summary>
    public string ConfigPath { get; }

    /// <summary>Writes a client conf (<paramref name="interfaces"/> e.g. "10.231.7.2/24" or "127.0.0.1/8 10.98.7.1/24").</summary>
    public static SambaClient Create(NetworkNamespace ns, string interfaces, string netbiosName = "NBICLIENT", string workgroup = "PEERTEST",
        IEnumerable<string>? extraLines = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var dir = SambaConfig.CreateWorkDirectory("client");
        return new SambaClient(ns, dir, SambaConfig.WriteClient(dir, netbiosName, workgroup, interfaces, extraLines));
    }

    /// <summary>
    /// <c>nmblookup -s CONF -d0 ARGS…</c>. Always pass -U IP or -B BCAST (pitfall 3); recursion is
    /// <c>--recursion</c>, never -R (pitfall 2). It always talks to port 137.
    /// </summary>
    public Task<CommandResult> NmblookupAsync(IReadOnlyList<string> args, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Namespace.RunAsync("nmblookup", ["-s", ConfigPath, "-d0", .. args], timeout, cancellationToken: cancellationToken);

    /// <summary><c>smbclient -s CONF -d0 ARGS…</c> with stdin closed (pass -N for guest).</summary>
    public Task<CommandResult> SmbclientAsync(IReadOnlyList<string> args, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Namespace.RunAsync("smbclient", ["-s", ConfigPath, "-d0", .. args], timeout, stdin: string.Empty, cancellationToken: cancellationToken);

    /// <summary>Runs <c>/usr/bin/python3 -c SCRIPT ARGS…</c> inside the namespace (the python that has impacket).</summary>
    public Task<CommandResult> PythonAsync(string script, IReadOnlyList<string> args, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Python(Namespace, script, args, timeout, cancellationToken);

    /// <summary>Runs <c>/usr/bin/python3 -c SCRIPT ARGS…</c> inside <paramref name="ns"/> (no conf needed).</summary>
    public static Task<CommandResult> Python(NetworkNamespace ns, string script, IReadOnlyList<string> args, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.RunAsync(InteropRequirements.SystemPython, ["-c", script, .. args], timeout, cancellationToken: cancellationToken);
    }

    /// <summary>Deletes the client conf directory.</summary>
    public void Dispose() => SambaConfig.DeleteWorkDirectory(Directory);
}
