using System.Net;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary>The server's allocation-free query answers (RFC 1002 §4.2.13): the same bytes as the packet codec, no allocation.</summary>
public sealed class WinsQueryFastPathTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static WinsRecord Record(string name, byte suffix, WinsRecordType type, params string[] addresses) => new()
    {
        Name = NetBiosName.Create(name, suffix),
        Type = type,
        State = WinsRecordState.Active,
        NodeType = NodeType.H,
        Addresses = [.. addresses.Select(a => new WinsAddress(IPAddress.Parse(a), IPAddress.Loopback, Now.AddDays(1)))],
        Expires = Now.AddDays(1),
        Owner = IPAddress.Loopback,
    };

    private static async Task<(NameServiceEndpoint, WinsServer)> StartAsync(params WinsRecord[] records)
    {
        var store = new InMemoryWinsStore();
        foreach (var record in records)
        {
            await store.WriteAsync(record, 0, TestContext.Current.CancellationToken);
        }

        var endpoint = new NameServiceEndpoint(UdpDatagramTransport.Bind(new UdpTransportOptions { Address = IPAddress.Loopback, Port = 0 }), IPAddress.Loopback);
        return (endpoint, new WinsServer(endpoint, store));
    }

    [Fact]
    public void MultiEntryWriter_WritesTheSameBytesAsTheCodec()
    {
        var name = NetBiosName.Create("DOMAIN", 0x1C);
        var flags = NbFlags.Group | (NbFlags)0x6000;
        var expected = NameServicePacket.CreatePositiveQueryResponse(0x1234, name, 777,
            [new NbAddressEntry(flags, IPAddress.Parse("10.0.0.1")), new NbAddressEntry(flags, IPAddress.Parse("10.0.0.2"))]);
        byte[] codec = new byte[expected.GetEncodedLength()];
        expected.TryEncode(codec, out _);
        byte[] fast = new byte[576];

        Assert.True(NameServiceFastPath.TryWritePositiveQueryResponse(fast, 0x1234, name, 777, flags, [0x0A000001u, 0x0A000002u], out int written));

        Assert.Equal(codec, fast[..written]);
        Assert.True(NameServicePacket.TryDecode(fast.AsSpan(0, written), out var decoded, out _));
        Assert.Equal(NameServicePacketKind.PositiveQueryResponse, decoded.Kind);
    }

    [Fact]
    public async Task QueryAnswers_ForUniqueGroupAndSpecialGroup_AllocateNothing()
    {
        var (endpoint, server) = await StartAsync(
            Record("FRED", 0x20, WinsRecordType.Unique, "10.0.0.1"),
            Record("WORKGROUP", 0x00, WinsRecordType.Group),
            Record("DOMAIN", 0x1C, WinsRecordType.SpecialGroup, "10.0.0.1", "10.0.0.2", "10.0.0.3"));
        await using (endpoint)
        await using (server)
        {
            var names = new[] { NetBiosName.Create("FRED", 0x20), NetBiosName.Create("WORKGROUP", 0x00), NetBiosName.Create("DOMAIN", 0x1C) };
            var header = new NameServiceHeader(7, false, NameServiceOpcode.Query, NameServiceFlags.RecursionDesired, NameServiceRcode.Ok, QuestionCount: 1);
            byte[] buffer = new byte[576];
            int total = 0;
            foreach (var name in names)
            {
                Assert.Equal(NameServiceHandling.Handled, server.TryAnswerQuery(header, name, buffer, out int written)); // warm up
                total += written;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                foreach (var name in names)
                {
                    server.TryAnswerQuery(header, name, buffer, out _);
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.True(total > 0);
        }
    }

    [Fact]
    public async Task FastPath_PassesOnBroadcasts1DAndUnknownNames()
    {
        var (endpoint, server) = await StartAsync(Record("FRED", 0x20, WinsRecordType.Unique, "10.0.0.1"), Record("WORKGROUP", 0x1D, WinsRecordType.Unique, "10.0.0.1"));
        await using (endpoint)
        await using (server)
        {
            var directed = new NameServiceHeader(7, false, NameServiceOpcode.Query, NameServiceFlags.RecursionDesired, NameServiceRcode.Ok, QuestionCount: 1);
            var broadcast = directed with { Flags = NameServiceFlags.RecursionDesired | NameServiceFlags.Broadcast };
            byte[] buffer = new byte[576];

            Assert.Equal(NameServiceHandling.NotMine, server.TryAnswerQuery(broadcast, NetBiosName.Create("FRED", 0x20), buffer, out _));
            Assert.Equal(NameServiceHandling.NotMine, server.TryAnswerQuery(directed, NetBiosName.Create("WORKGROUP", 0x1D), buffer, out _));
            Assert.Equal(NameServiceHandling.NotMine, server.TryAnswerQuery(directed, NetBiosName.Create("NOBODY", 0x20), buffer, out _));
        }
    }
}
