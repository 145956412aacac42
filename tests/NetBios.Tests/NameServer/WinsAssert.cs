using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameServer;

/// <summary>Small assertions on answers.</summary>
internal static class WinsAssert
{
    public static void Positive(NameServicePacket packet, NameServicePacketKind kind = NameServicePacketKind.PositiveRegistrationResponse)
    {
        Assert.Equal(kind, packet.Kind);
        Assert.Equal(NameServiceRcode.Ok, packet.Header.Rcode);
    }

    public static void Negative(NameServicePacket packet, NameServiceRcode rcode)
    {
        Assert.Equal(rcode, packet.Header.Rcode);
    }

    public static IPAddress[] Addresses(NameServicePacket packet) =>
        [.. ((NbRecordData)packet.Answers[0].Data).Entries.Select(e => e.Address)];
}
