using System.Net;
using NetBios.Transport;
using NetBios.Wire.NameService;
using Xunit;

namespace NetBios.Tests.NameService;

/// <summary>
/// A scripted peer (a fake NBNS, a liar, a silent owner) on a raw transport: decodes each request and lets the
/// script answer, now or later on the network's clock. Built from the production codec.
/// </summary>
internal sealed class ScriptedResponder : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<NameServicePacket> _requests = [];

    public ScriptedResponder(IDatagramTransport transport, Func<NameServicePacket, IPEndPoint, NameServicePacket?> script)
        : this(transport, (request, source, reply) =>
        {
            if (script(request, source) is { } response)
            {
                reply(response, TimeSpan.Zero);
            }
        })
    {
    }

    public ScriptedResponder(IDatagramTransport transport, Action<NameServicePacket, IPEndPoint, Action<NameServicePacket, TimeSpan>> script)
    {
        Transport = transport;
        _ = Task.Run(() => LoopAsync(script));
    }

    public IDatagramTransport Transport { get; }

    public IReadOnlyList<NameServicePacket> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The requests once <paramref name="count"/> of them match: the responder's loop records them on its own, so a
    /// loaded machine may need a moment of real time after the fake clock moved (bounded: 10 s).
    /// </summary>
    public async Task<IReadOnlyList<NameServicePacket>> WaitForRequestsAsync(Func<NameServicePacket, bool> match, int count)
    {
        for (int i = 0; i < 2000 && Requests.Count(match) < count; i++)
        {
            await Task.Delay(5);
        }

        return Requests;
    }

    /// <summary>Ignore broadcast requests (a name server on the segment hears them but answers only unicast). Defaults to true.</summary>
    public bool IgnoreBroadcasts { get; init; } = true;

    /// <summary>Receives one name service packet on a raw transport, driving the fake clock meanwhile.</summary>
    public static async Task<NameServicePacket> ReceiveAsync(NameServiceTestNetwork net, IDatagramTransport transport)
    {
        byte[] buffer = new byte[2048];
        var receive = transport.ReceiveFromAsync(buffer).AsTask();
        var result = await TestCommon.FakeClock.RunAsync(net.Time, receive, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));
        Assert.True(NameServicePacket.TryDecode(buffer.AsSpan(0, result.Length), out var packet, out var error), error.ToString());
        return packet;
    }

    public void Dispose()
    {
        _stop.Cancel();
        Transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stop.Dispose();
    }

    private async Task LoopAsync(Action<NameServicePacket, IPEndPoint, Action<NameServicePacket, TimeSpan>> script)
    {
        byte[] buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            DatagramReceiveResult received;
            try
            {
                received = await Transport.ReceiveFromAsync(buffer, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (!NameServicePacket.TryDecode(buffer.AsSpan(0, received.Length), out var request, out _) || request.Header.IsResponse
                || (IgnoreBroadcasts && (request.Header.Flags & NameServiceFlags.Broadcast) != 0))
            {
                continue;
            }

            lock (_requests)
            {
                _requests.Add(request);
            }

            var source = received.RemoteEndPoint;
            script(request, source, (response, delay) =>
            {
                if (delay <= TimeSpan.Zero)
                {
                    _ = Transport.SendToAsync(response.ToArray(), source).AsTask();
                    return;
                }

                ITimer? timer = null;
                timer = Time.CreateTimer(_ =>
                {
                    _ = Transport.SendToAsync(response.ToArray(), source).AsTask();
                    timer?.Dispose();
                }, null, delay, Timeout.InfiniteTimeSpan);
            });
        }
    }
}
