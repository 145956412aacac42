using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NetBios.Tests.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>
/// Issue 19 item 5: <c>nbt node --name TAKEN --group WG</c> used to keep running with only the group and exit 0. Now
/// each name that could not be registered is reported and the node stops with exit 1 (unless --allow-partial),
/// releasing the names it did get.
/// </summary>
public sealed class NodePartialRegistrationTests
{
    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, type, protocol);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [Theory(Timeout = 60_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Node_OneNameRefused_ReportsItAndStopsWithExit1_ReleasingTheOthers(bool json)
    {
        // A WINS server that refuses TAKEN<20> (ACT_ERR: owned by 127.0.0.9) and accepts everything else.
        var wins = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 });
        using var responder = new ScriptedResponder(wins, (request, _) => request.Kind switch
        {
            NameServicePacketKind.NameRegistrationRequest when request.Questions[0].Name.Suffix == 0x20 =>
                NameServicePacket.CreateNegativeRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, NameServiceRcode.ActiveError, NbFlags.None, IPAddress.Parse("127.0.0.9")),
            NameServicePacketKind.NameRegistrationRequest =>
                NameServicePacket.CreatePositiveRegistrationResponse(request.Header.TransactionId, request.Questions[0].Name, 21600, NbFlags.None, IPAddress.Loopback),
            NameServicePacketKind.NameReleaseRequest =>
                NameServicePacket.CreateReleaseResponse(request.Header.TransactionId, request.Questions[0].Name, NbFlags.None, IPAddress.Loopback, NameServiceRcode.Ok),
            _ => null,
        });
        string[] args =
        [
            "node", "--name", "TAKEN", "--group", "WG", "--node-type", "P", "--wins", $"127.0.0.1:{wins.LocalEndPoint.Port}", "--interface", "127.0.0.1",
            "--port", FreePort(SocketType.Dgram, ProtocolType.Udp).ToString(CultureInfo.InvariantCulture),
            "--datagram-port", FreePort(SocketType.Dgram, ProtocolType.Udp).ToString(CultureInfo.InvariantCulture),
            "--session-port", FreePort(SocketType.Stream, ProtocolType.Tcp).ToString(CultureInfo.InvariantCulture),
            .. json ? new[] { "--json" } : [],
        ];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exit = await Nbt.Cli.Program.RunAsync(args, TextReader.Null, stdout, stderr, null, null, new Dictionary<string, string>());

        Assert.Equal(1, exit);
        Assert.Equal("nbt: 1 of 4 names could not be registered (TAKEN<20>); stopping and releasing the others (--allow-partial keeps running with them)\n",
            stderr.ToString().ReplaceLineEndings("\n"));
        if (json)
        {
            var events = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(4, events.Count);
            var refused = Assert.Single(events, e => e.GetProperty("outcome").GetString() != "Registered");
            Assert.Equal("20", refused.GetProperty("name").GetProperty("suffix").GetString());
            Assert.Equal("Conflict", refused.GetProperty("outcome").GetString());
            Assert.Equal("127.0.0.9", refused.GetProperty("owner").GetString());
        }
        else
        {
            Assert.Contains("TAKEN<20>  CONFLICT    owned by 127.0.0.9", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("WG<00>     REGISTERED", stdout.ToString(), StringComparison.Ordinal);
        }

        // The names it did get are released, not left behind.
        var releases = await responder.WaitForRequestsAsync(r => r.Kind == NameServicePacketKind.NameReleaseRequest, 3);
        var released = releases.Select(r => r.Questions[0].Name.ToString()).ToHashSet();
        Assert.Contains("TAKEN<00>", released);
        Assert.Contains("TAKEN<03>", released);
    }
}
