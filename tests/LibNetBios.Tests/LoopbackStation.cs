namespace NetBios.Native.Tests;

/// <summary>
/// The environment of one libnetbios process on its own loopback address: NETBIOS_BIND=adapter, so that processes on
/// 127.77.x.y each own the same non-default ports on their address, and an LMHOSTS file for names of other processes
/// (broadcasts from an address-bound socket reach nobody).
/// </summary>
internal static class LoopbackStation
{
    /// <summary>Ports per test run: 20000–39980, from the process id, so that parallel runs rarely meet.</summary>
    public static int BasePort { get; } = 20000 + (System.Environment.ProcessId % 1000 * 20);

    /// <summary>The environment of a process on <paramref name="address"/>.</summary>
    /// <param name="address">Its loopback address (127.77.x.y).</param>
    /// <param name="lmhostsPath">An LMHOSTS file, if it calls names of other processes.</param>
    /// <param name="sharedPorts">NETBIOS_BIND=shared on ports of their own (BasePort + 11…13): processes share the UDP
    /// ports on 0.0.0.0 and hear each other's broadcasts (the chat).</param>
    public static Dictionary<string, string> Environment(string address, string? lmhostsPath = null, bool sharedPorts = false)
    {
        int first = BasePort + (sharedPorts ? 11 : 7);
        var environment = new Dictionary<string, string>
        {
            ["NETBIOS_INTERFACE"] = address + "/8",
            ["NETBIOS_BIND"] = sharedPorts ? "shared" : "adapter",
            ["NETBIOS_NAME_PORT"] = first.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NETBIOS_DATAGRAM_PORT"] = (first + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NETBIOS_SESSION_PORT"] = (first + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (lmhostsPath is not null)
        {
            environment["NETBIOS_LMHOSTS"] = lmhostsPath;
        }

        return environment;
    }
}
