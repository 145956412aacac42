using System.Net;
using System.Net.Sockets;

namespace NetBios.Tests.TestCommon;

/// <summary>How far <see cref="ResettingServer"/> lets a caller get before it resets the connection.</summary>
public enum ResetAfter
{
    /// <summary>Reset as soon as accepted.</summary>
    Accept,

    /// <summary>Read the session request first, so the reset hits the caller's read rather than its write.</summary>
    Request,

    /// <summary>Answer the request with a POSITIVE SESSION RESPONSE, then reset: an established session that breaks.</summary>
    PositiveResponse,

    /// <summary>Read the session request, then close gracefully (FIN, no answer).</summary>
    CloseAfterRequest,
}

/// <summary>
/// A loopback TCP server that accepts every connection and resets it (zero linger, then close): the hostile server of
/// issue 17 item 5.
/// </summary>
internal sealed class ResettingServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted;

    public ResettingServer(ResetAfter when)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _loop = AcceptLoopAsync(when);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>How many connections were accepted (and reset).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptLoopAsync(ResetAfter when)
    {
        try
        {
            while (true)
            {
                using var socket = await _listener.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                if (when != ResetAfter.Accept)
                {
                    byte[] buffer = new byte[256];
                    _ = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                }

                if (when == ResetAfter.PositiveResponse)
                {
                    _ = await socket.SendAsync(new byte[] { 0x82, 0, 0, 0 }, SocketFlags.None, _stop.Token);
                    byte[] buffer = new byte[256];
                    _ = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token); // the caller's first message
                }

                if (when != ResetAfter.CloseAfterRequest)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                socket.Close();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
