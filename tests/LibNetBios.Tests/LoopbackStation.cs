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

    public static Dictionary<string, string> Environment(string address, string? lmhostsPath = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["NETBIOS_INTERFACE"] = address + "/8",
            ["NETBIOS_BIND"] = "adapter",
            ["NETBIOS_NAME_PORT"] = (BasePort + 7).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NETBIOS_DATAGRAM_PORT"] = (BasePort + 8).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NETBIOS_SESSION_PORT"] = (BasePort + 9).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (lmhostsPath is not null)
        {
            environment["NETBIOS_LMHOSTS"] = lmhostsPath;
        }

        return environment;
    }
}
