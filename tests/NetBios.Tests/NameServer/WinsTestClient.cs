using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary>A raw UDP client that speaks to the server with the library's packet codecs.</summary>
internal sealed class WinsTestClient(UdpClient socket, IPAddress address, IPEndPoint server) : IDisposable
{
    private static readonly TimeSpan ReceiveLimit = TimeSpan.FromSeconds(10);
    private int _nextId = 0x100;

    public IPAddress Address { get; } = address;

    public ushort NextId() => (ushort)Interlocked.Increment(ref _nextId);

    public async Task SendAsync(NameServicePacket packet, IPEndPoint? to = null)
    {
        byte[] buffer = new byte[packet.GetEncodedLength()];
        Assert.True(packet.TryEncode(buffer, out int written));
        await socket.SendAsync(buffer.AsMemory(0, written), to ?? server);
    }

    public async Task SendRawAsync(byte[] datagram) => await socket.SendAsync(datagram, server);

    /// <summary>The next packet that decodes (bounded by a real-time limit: a missing answer fails the test).</summary>
    public async Task<(NameServicePacket Packet, IPEndPoint Source)> ReceiveAsync()
    {
        using var limit = new CancellationTokenSource(ReceiveLimit);
        while (true)
        {
            var result = await socket.ReceiveAsync(limit.Token);
            if (NameServicePacket.TryDecode(result.Buffer, out var packet, out _))
            {
                return (packet, result.RemoteEndPoint);
            }
        }
    }

    /// <summary>Sends a request and returns the first answer that is not a WACK.</summary>
    public async Task<NameServicePacket> RequestAsync(NameServicePacket request)
    {
        await SendAsync(request);
        while (true)
        {
            var (packet, _) = await ReceiveAsync();
            if (packet.Kind != NameServicePacketKind.WaitForAcknowledgementResponse)
            {
                return packet;
            }
        }
    }

    public Task<NameServicePacket> RegisterAsync(NetBiosName name, uint ttl = 300_000, bool group = false, NodeType type = NodeType.H, IPAddress? address = null) =>
        RequestAsync(NameServicePacket.CreateRegistrationRequest(NextId(), name, ttl, Flags(group, type), address ?? Address, broadcast: false, recursionDesired: true));

    public Task<NameServicePacket> RefreshAsync(NetBiosName name, uint ttl = 300_000, bool group = false) =>
        RequestAsync(NameServicePacket.CreateRefreshRequest(NextId(), name, ttl, Flags(group, NodeType.H), Address, broadcast: false));

    public Task<NameServicePacket> MultiHomedAsync(NetBiosName name, uint ttl = 300_000) =>
        RequestAsync(NameServicePacket.CreateMultiHomedRegistrationRequest(NextId(), name, ttl, Flags(false, NodeType.H), Address));

    public Task<NameServicePacket> ReleaseAsync(NetBiosName name, bool group = false) =>
        RequestAsync(NameServicePacket.CreateReleaseRequest(NextId(), name, Flags(group, NodeType.H), Address, broadcast: false));

    public Task<NameServicePacket> QueryAsync(NetBiosName name) =>
        RequestAsync(NameServicePacket.CreateNameQueryRequest(NextId(), name, recursionDesired: true, broadcast: false));

    /// <summary>Waits for the server's challenge query and answers it positively (the owner defends) or not at all.</summary>
    public async Task<NameServicePacket> ExpectChallengeAsync(bool answer, params IPAddress[] addresses)
    {
        var (query, source) = await ReceiveAsync();
        Assert.Equal(NameServicePacketKind.NameQueryRequest, query.Kind);
        if (answer)
        {
            var entries = (addresses.Length == 0 ? [Address] : addresses).Select(a => new NbAddressEntry(Flags(false, NodeType.H), a)).ToList();
            await SendAsync(NameServicePacket.CreatePositiveQueryResponse(query.Header.TransactionId, query.Questions[0].Name, 300, entries), source);
        }

        return query;
    }

    public static NbFlags Flags(bool group, NodeType type) => (NbFlags)((ushort)type << 13) | (group ? NbFlags.Group : NbFlags.None);

    public void Dispose() => socket.Dispose();
}
