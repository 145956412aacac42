using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetBios.NameService;
using NetBios.SessionService;
using NetBios.Testing;
using NetBios.Transport;
using NetBios.Wire.Session;
using Xunit;

namespace NetBios.Tests.Sessions;

/// <summary>Which stream network a test runs on.</summary>
public enum Net
{
    Memory,
    Tcp,
}

/// <summary>
/// Two hosts with a session service each (server listening on port 0, client only calling), over in-memory streams or
/// real loopback TCP, plus raw-connection helpers for hand-made frames.
/// </summary>
internal sealed class SessionTestBed : IAsyncDisposable
{
    public static readonly IPAddress ServerAddress = IPAddress.Parse("192.168.1.10");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("192.168.1.20");

    public static readonly NetBiosName ServerName = NetBiosName.Create("SERVER", 0x20);
    public static readonly NetBiosName ClientName = NetBiosName.Create("CLIENT", 0x00);

    private readonly List<IAsyncDisposable> _owned = [];

    public SessionTestBed(Net net, Action<SessionServiceOptions>? configure = null, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        if (net == Net.Memory)
        {
            var network = new InMemoryNetwork(new FakeTimeProvider());
            network.AddSegment(IPAddress.Parse("192.168.1.0"), 24);
            network.AddSegment(IPAddress.Parse("192.168.2.0"), 24);
            ServerNetwork = network.AddHost(ServerAddress);
            ClientNetwork = network.AddHost(ClientAddress);
            Memory = network;
            ListenAddress = ServerAddress;
        }
        else
        {
            ServerNetwork = ClientNetwork = new TcpStreamNetwork(timeProvider: Time);
            ListenAddress = IPAddress.Loopback;
        }

        var serverOptions = new SessionServiceOptions { ListenEndPoint = new IPEndPoint(ListenAddress, 0) };
        configure?.Invoke(serverOptions);
        Server = new SessionServiceNode(ServerNetwork, serverOptions, ServerNames, ServerNames, Time);
        var clientOptions = new SessionServiceOptions();
        configure?.Invoke(clientOptions);
        Client = new SessionServiceNode(ClientNetwork, clientOptions, ClientNames, ClientNames, Time);
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public TimeProvider Time { get; }

    public InMemoryNetwork? Memory { get; }

    public IStreamNetwork ServerNetwork { get; }

    public IStreamNetwork ClientNetwork { get; }

    public IPAddress ListenAddress { get; }

    /// <summary>The server's names (SERVER&lt;20&gt; at first); it resolves nothing.</summary>
    public StaticNames ServerNames { get; } = new(ServerName);

    public SessionServiceNode Server { get; }

    public SessionServiceNode Client { get; }

    /// <summary>The client's names (none) and what its resolver answers (<see cref="StaticNames.SetAddresses"/>).</summary>
    public StaticNames ClientNames { get; } = new();

    public IPEndPoint ServerEndPoint => Server.LocalEndPoint!;

    public async Task StartAsync() => await Server.StartAsync(Ct);

    /// <summary>Listens on the server and calls from the client; both ends of one session.</summary>
    public async Task<(NbssSession Caller, NbssSession Listener)> ConnectAsync(NetBiosName? callingName = null, NetBiosName? calledName = null)
    {
        var listen = Server.ListenAsync(calledName ?? ServerName, null, Ct).AsTask();
        var call = await Client.CallAsync(callingName ?? ClientName, calledName ?? ServerName, [ServerEndPoint], Ct);
        Assert.Equal(SessionCallOutcome.Connected, call.Outcome);
        var listened = await listen.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(listened.IsConnected);
        return (call.Session!, listened.Session);
    }

    /// <summary>A raw connection to the server's listener.</summary>
    public async Task<IStreamConnection> RawConnectAsync(IStreamNetwork? from = null)
    {
        var connection = await (from ?? ClientNetwork).ConnectAsync(ServerEndPoint, Ct);
        _owned.Add(connection);
        return connection;
    }

    /// <summary>A raw connection that has sent a session request for the server name and read the positive response.</summary>
    public async Task<(IStreamConnection Raw, NbssSession Listener)> RawSessionAsync()
    {
        var listen = Server.ListenAsync(ServerName, null, Ct).AsTask();
        var raw = await RawConnectAsync();
        await WriteAsync(raw, new SessionRequest(ServerName, ClientName).ToArray());
        Assert.Equal([0x82, 0, 0, 0], await ReadExactlyAsync(raw, 4));
        var listened = await listen.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return (raw, listened.Session!);
    }

    public static async Task WriteAsync(IStreamConnection connection, ReadOnlyMemory<byte> bytes)
    {
        await connection.Transport.Output.WriteAsync(bytes, Ct);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, or fewer when the stream ends (or fails) first.</summary>
    public static async Task<byte[]> ReadExactlyAsync(IStreamConnection connection, int count, int seconds = 10)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        var input = connection.Transport.Input;
        var collected = new List<byte>();
        try
        {
            while (collected.Count < count)
            {
                var result = await input.ReadAsync(cts.Token);
                var take = result.Buffer.Slice(0, Math.Min(result.Buffer.Length, count - collected.Count));
                collected.AddRange(take.ToArray());
                input.AdvanceTo(take.End);
                if (result.IsCompleted && take.Length == 0)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
        }

        return [.. collected];
    }

    /// <summary>True when the peer has closed or reset (reads end) within the wait.</summary>
    public static async Task<bool> IsClosedAsync(IStreamConnection connection, int seconds = 10)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        var input = connection.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cts.Token);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static byte[] Message(ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[4 + payload.Length];
        SessionHeader.TryWriteMessageHeader(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(4));
        return frame;
    }

    public static byte[] Pattern(int length, int seed = 0)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }

    /// <summary>Receives one whole message with a buffer of <paramref name="capacity"/>.</summary>
    public static async Task<byte[]> ReceiveMessageAsync(NbssSession session, int capacity = 131071)
    {
        byte[] buffer = new byte[capacity];
        var result = await session.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(SessionIoStatus.Ok, result.Status);
        return buffer[..result.BytesReceived];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _owned)
        {
            if (connection is IStreamConnection c)
            {
                c.Abort();
            }

            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
            }
        }

        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
