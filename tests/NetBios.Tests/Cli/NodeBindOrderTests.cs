using System.Net;
using System.Net.Sockets;
using NetBios.Tests.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 17 item 8: with the session port taken, <c>nbt node</c> used to register its names and then release them before
/// failing. <c>NetBiosStation.BindAsync</c> now binds UDP 137, 138 and TCP 139 before anything starts; this proves it
/// from the outside.
/// </summary>
public sealed class NodeBindOrderTests
{
    private static async Task<(int Exit, string Err)> RunAsync(params string[] args)
    {
        var (exit, _, err) = await NbtRunner.RunAsync(args);
        return (exit, err);
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port; // free now; the node binds it first
    }

    [Fact(Timeout = 60_000)]
    public async Task Node_SessionPortTaken_FailsWithTheBindErrorAndSendsNoRegistration()
    {
        // The WINS server of a P-node is the witness: every registration (and release) of the node goes to it.
        var wins = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        using var responder = new ScriptedResponder(wins, (request, _) => request.Kind == NameServicePacketKind.NameRegistrationRequest
            ? NameServicePacket.CreatePositiveRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, 21600, NbFlags.None, IPAddress.Loopback)
            : null);
        string winsEndPoint = $"127.0.0.1:{wins.LocalEndPoint.Port}";
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int sessionPort = ((IPEndPoint)taken.LocalEndpoint).Port;

            var (exit, err) = await RunAsync("node", "--name", "VICTIM", "--node-type", "P", "--wins", winsEndPoint, "--interface", "127.0.0.1",
                "--port", FreeUdpPort().ToString(), "--datagram-port", FreeUdpPort().ToString(), "--session-port", sessionPort.ToString());

            Assert.True(exit == 3, err);
            Assert.Contains("TCP", err, StringComparison.Ordinal);
            Assert.Contains($":{sessionPort}", err, StringComparison.Ordinal);
            Assert.Contains("in use", err, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));

            // A sentinel after the node has exited: once the responder has seen it, it has seen everything sent before.
            var sentinel = NetBiosName.Create("SENTINEL", 0x00);
            using (var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            {
                byte[] query = NameServicePacket.CreateNameQueryRequest(0x1234, sentinel, recursionDesired: true, broadcast: false).ToArray();
                await client.SendAsync(query, query.Length, new IPEndPoint(IPAddress.Loopback, wins.LocalEndPoint.Port));
            }

            var requests = await responder.WaitForRequestsAsync(r => r.Questions.Count > 0 && r.Questions[0].Name == sentinel, 1);
            Assert.Equal(sentinel, Assert.Single(requests).Questions[0].Name);

            // The witness works: a registration from the same tool does reach it.
            var (registerExit, registerErr) = await RunAsync("register", "VICTIM", "--node-type", "P", "--wins", winsEndPoint, "--interface", "127.0.0.1");
            Assert.True(registerExit == 0, registerErr);
            Assert.Contains(responder.Requests, r => r.Kind == NameServicePacketKind.NameRegistrationRequest);
        }
        finally
        {
            taken.Stop();
        }
    }
}
