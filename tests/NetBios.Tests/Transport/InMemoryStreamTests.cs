using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.Testing;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

public sealed class InMemoryStreamTests : StreamNetworkTestsBase
{
    private static readonly IPAddress Server = IPAddress.Parse("192.168.1.10");
    private static readonly IPAddress Client = IPAddress.Parse("192.168.1.20");
    private static readonly IPAddress Remote = IPAddress.Parse("10.0.0.1");

    private readonly InMemoryNetwork _net = new(new FakeTimeProvider());

    public InMemoryStreamTests()
    {
        _net.AddSegment(IPAddress.Parse("192.168.1.0"), 24);
        _net.AddSegment(IPAddress.Parse("10.0.0.0"), 8);
    }

    protected override IStreamNetwork Network => _net;

    protected override IPEndPoint ListenEndPoint => new(Server, 0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_FromOtherHost_EndpointsUseHostAddresses()
    {
        InMemoryHost clientHost = _net.GetHost(Client);
        await using IStreamListener listener = await _net.GetHost(Server).ListenAsync(new IPEndPoint(IPAddress.Any, 139), Ct);
        ValueTask<IStreamConnection?> accepting = listener.AcceptAsync(Ct);

        await using IStreamConnection client = await clientHost.ConnectAsync(new IPEndPoint(Server, 139), Ct);
        await using IStreamConnection server = (await accepting)!;

        Assert.Equal(Client, client.LocalEndPoint.Address);
        Assert.Equal(new IPEndPoint(Server, 139), client.RemoteEndPoint);
        Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);
    }

    [Fact]
    public async Task ConnectAsync_OtherSegment_ThrowsUnreachable()
    {
        await using IStreamListener listener = await _net.ListenAsync(new IPEndPoint(Remote, 139), Ct);

        var ex = await Assert.ThrowsAsync<TransportConnectException>(
            async () => await _net.GetHost(Client).ConnectAsync(new IPEndPoint(Remote, 139), Ct));
        Assert.Equal(ConnectFailureReason.Unreachable, ex.Reason);
    }

    [Fact]
    public async Task ConnectAsync_UnpluggedServer_ThrowsTimedOut()
    {
        await using IStreamListener listener = await _net.ListenAsync(new IPEndPoint(Server, 139), Ct);
        _net.GetHost(Server).IsUnplugged = true;

        var ex = await Assert.ThrowsAsync<TransportConnectException>(
            async () => await _net.GetHost(Client).ConnectAsync(new IPEndPoint(Server, 139), Ct));
        Assert.Equal(ConnectFailureReason.TimedOut, ex.Reason);
    }

    [Fact]
    public async Task ConnectAsync_UnknownAddress_ThrowsUnreachable()
    {
        var ex = await Assert.ThrowsAsync<TransportConnectException>(
            async () => await _net.ConnectAsync(new IPEndPoint(IPAddress.Parse("192.168.1.99"), 139), Ct));
        Assert.Equal(ConnectFailureReason.Unreachable, ex.Reason);
    }

    [Fact]
    public async Task ListenAsync_AddressOfAnotherHost_ThrowsAddressNotAvailable()
    {
        _net.GetHost(Client);

        var ex = await Assert.ThrowsAsync<TransportBindException>(
            async () => await _net.GetHost(Server).ListenAsync(new IPEndPoint(Client, 139), Ct));
        Assert.Equal(BindFailureReason.AddressNotAvailable, ex.Reason);
    }

    [Fact]
    public async Task DisposeAsync_ListenerWithUnacceptedConnection_ClientSeesReset()
    {
        IStreamListener listener = await _net.ListenAsync(new IPEndPoint(Server, 139), Ct);
        await using IStreamConnection client = await _net.GetHost(Client).ConnectAsync(new IPEndPoint(Server, 139), Ct);

        await listener.DisposeAsync();

        await Assert.ThrowsAsync<IOException>(() => PipeHelpers.ReadToEndAsync(client.Transport.Input, Ct));
    }

    [Fact]
    public async Task Abort_PeerFlushThrowsIOException()
    {
        await using IStreamListener listener = await _net.ListenAsync(new IPEndPoint(Server, 139), Ct);
        ValueTask<IStreamConnection?> accepting = listener.AcceptAsync(Ct);
        await using IStreamConnection client = await _net.GetHost(Client).ConnectAsync(new IPEndPoint(Server, 139), Ct);
        await using IStreamConnection server = (await accepting)!;

        server.Abort();

        await Assert.ThrowsAsync<IOException>(() => PipeHelpers.WriteAsync(client.Transport.Output, "x", Ct));
    }

    [Fact]
    public async Task DisposeAsync_PeerStoppedReading_FlushReportsCompleted()
    {
        await using IStreamListener listener = await _net.ListenAsync(new IPEndPoint(Server, 139), Ct);
        ValueTask<IStreamConnection?> accepting = listener.AcceptAsync(Ct);
        await using IStreamConnection client = await _net.GetHost(Client).ConnectAsync(new IPEndPoint(Server, 139), Ct);
        IStreamConnection server = (await accepting)!;

        await server.DisposeAsync();

        var result = await client.Transport.Output.WriteAsync(new byte[] { 1 }, Ct);
        Assert.True(result.IsCompleted);
    }
}
