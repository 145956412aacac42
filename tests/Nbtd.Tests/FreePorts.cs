using System.Net;
using System.Net.Sockets;

namespace Nbtd.Tests;

/// <summary>Ports free on this machine right now (UDP and TCP alike), for an nbtd run on loopback.</summary>
internal static class FreePorts
{
    /// <summary>Three distinct ports free for UDP on all addresses and for TCP: name service, datagrams, sessions.</summary>
    public static (int Name, int Datagram, int Session) Take()
    {
        var ports = new List<int>();
        for (int attempt = 0; ports.Count < 3 && attempt < 100; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Any, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Any, port));
            }
            catch (SocketException)
            {
                continue;
            }

            if (!ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        return ports.Count == 3 ? (ports[0], ports[1], ports[2]) : throw new InvalidOperationException("no free ports");
    }

    /// <summary>The command-line arguments of a station on 127.0.0.1 with these ports.</summary>
    public static string[] LoopbackStation((int Name, int Datagram, int Session) ports, string name) =>
    [
        "--Stations:0:Interface=127.0.0.1",
        $"--Stations:0:NameServicePort={ports.Name}",
        $"--Stations:0:DatagramPort={ports.Datagram}",
        $"--Stations:0:SessionPort={ports.Session}",
        $"--Stations:0:Name={name}",
    ];
}
