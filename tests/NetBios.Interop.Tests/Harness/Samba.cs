namespace NetBios.Interop.Tests.Harness;

/// <summary>Samba peers for the interop tests: nmbd as a B-node or WINS server, and nmblookup as a client.</summary>
public static class Samba
{
    /// <summary>Writes an smb.conf with every Samba path inside <paramref name="dir"/> (INTEROP.md lib.sh write_nmbd_conf).</summary>
    public static string WriteConf(string dir, string netbiosName, string workgroup, string interfaces, bool winsSupport, params string[] extra)
    {
        foreach (string sub in new[] { "lock", "state", "cache", "pid", "private", "ncalrpc", "binddns", "log", "usershares" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        string conf = Path.Combine(dir, "smb.conf");
        File.WriteAllLines(conf,
        [
            "[global]",
            $"  netbios name = {netbiosName}",
            $"  workgroup = {workgroup}",
            "  server role = standalone server",
            $"  interfaces = {interfaces}",
            "  bind interfaces only = yes",
            $"  wins support = {(winsSupport ? "yes" : "no")}",
            "  dns proxy = no",
            "  disable netbios = no",
            "  local master = no",
            "  log level = 3",
            $"  lock directory = {dir}/lock",
            $"  state directory = {dir}/state",
            $"  cache directory = {dir}/cache",
            $"  pid directory = {dir}/pid",
            $"  private dir = {dir}/private",
            $"  ncalrpc dir = {dir}/ncalrpc",
            $"  binddns dir = {dir}/binddns",
            $"  log file = {dir}/log/log.%m",
            "  max log size = 0",
            $"  usershare path = {dir}/usershares",
            "  usershare max shares = 0",
            .. extra.Select(e => "  " + e),
        ]);
        return conf;
    }

    /// <summary>
    /// Starts nmbd in the foreground inside a host's namespace and waits until it answers a <em>broadcast</em> query
    /// for its name: nmbd answers unicast queries as soon as it starts, but broadcast ones (and defends its names)
    /// only after its own broadcast registrations have finished, a few seconds later.
    /// </summary>
    public static async Task<BackgroundProcess> StartNmbdAsync(BroadcastSegment.Host host, string broadcast, string dir, string netbiosName, string workgroup, bool winsSupport, params string[] extra)
    {
        string conf = WriteConf(dir, netbiosName, workgroup, $"{host.Address}/24", winsSupport, extra);
        var nmbd = host.Start("nmbd", "-F", "--debug-stdout", "-d", "3", "-s", conf, "-p", "137");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !nmbd.HasExited)
        {
            var lookup = await host.RunAsync($"nmblookup -s {conf} -d0 -B {broadcast} {netbiosName}", TimeSpan.FromSeconds(10));
            if (lookup.StdOut.Contains($"{host.Address} {netbiosName}<00>", StringComparison.Ordinal))
            {
                return nmbd;
            }

            await Task.Delay(500);
        }

        string output = nmbd.Output;
        await nmbd.DisposeAsync();
        throw new InvalidOperationException($"nmbd did not start answering in 30 s:\n{output}");
    }
}
