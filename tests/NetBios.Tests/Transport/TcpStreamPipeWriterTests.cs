using System.Buffers;
using System.Net;
using NetBios.Transport;
using Xunit;

namespace NetBios.Tests.Transport;

/// <summary>
/// Issue 18, fourth round: <see cref="TcpStreamPipeWriter.WriteGathered"/> sends a frame's parts with one sendmsg
/// straight from the callers' memory; what the socket does not take at once is buffered, in order, for the flush.
/// </summary>
public sealed class TcpStreamPipeWriterTests
{
    [Fact(Timeout = 60_000)]
    public async Task WriteGathered_RoomInTheSocket_SendsAllAtOnce_NothingLeftToFlush()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var output = (TcpStreamPipeWriter)pair.Client.Transport.Output;

        byte[] header = [0, 0, 0, 10];
        byte[] first = "hello"u8.ToArray();
        byte[] second = "world"u8.ToArray();

        bool sent = output.WriteGathered(header, first, second);

        Assert.True(sent);
        Assert.Equal(0, output.UnflushedBytes);
        byte[] expected = [.. header, .. first, .. second];
        Assert.Equal(expected, await ReadExactlyAsync(pair.Server, 14, cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteGathered_SocketFull_BuffersTheRestInOrder_FlushSendsIt()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        ((TcpStreamConnection)pair.Client).Socket.SendBufferSize = 4096;
        var output = (TcpStreamPipeWriter)pair.Client.Transport.Output;
        byte[] first = new byte[6 << 20];
        byte[] second = new byte[6 << 20];
        new Random(1).NextBytes(first);
        new Random(2).NextBytes(second);
        byte[] header = [1, 2, 3, 4];

        // Nobody reads yet: the socket (send and peer receive buffers) cannot take 12 MiB at once.
        bool sent = output.WriteGathered(header, first, second);

        Assert.False(sent);
        Assert.True(output.UnflushedBytes > 0);
        int total = header.Length + first.Length + second.Length;
        var reading = ReadExactlyAsync(pair.Server, total, cts.Token);
        await output.FlushAsync(cts.Token);
        Assert.Equal(0, output.UnflushedBytes);
        byte[] expected = [.. header, .. first, .. second];
        byte[] received = await reading;
        Assert.True(expected.AsSpan().SequenceEqual(received));
    }

    [Fact(Timeout = 60_000)]
    public async Task TryHold_KeepsFramesUpToTheLimit_TheNextGatheredWriteSendsThemFirst_InOneSend()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var output = (TcpStreamPipeWriter)pair.Client.Transport.Output;

        HoldTwoThenWriteTheThird(output);

        Assert.Equal(1, output.Sends);
        Assert.Equal(0, output.UnflushedBytes);
        byte[] expected = [0, 0, 0, 3, .. "one"u8.ToArray(), 0, 0, 0, 3, .. "two"u8.ToArray(), 0, 0, 0, 5, .. "three"u8.ToArray()];
        Assert.Equal(expected, await ReadExactlyAsync(pair.Server, 23, cts.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task WriteGathered_AfterHeldFrames_SocketFull_KeepsTheHeldThenTheFrame_FlushSendsThemInOrder()
    {
        using var cts = TestTimeout.Create();
        await using var pair = await StreamConnectionPair.ConnectTcpAsync(cts.Token);
        var socket = ((TcpStreamConnection)pair.Client).Socket;
        socket.SendBufferSize = 4096;
        var output = (TcpStreamPipeWriter)pair.Client.Transport.Output;
        int filler = 0;
        byte[] chunk = new byte[16 << 10];
        for (int i = 0; i < 10_000; i++) // nobody reads: fill the socket until it takes no more (non-blocking)
        {
            try
            {
                filler += socket.Send(chunk);
            }
            catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.WouldBlock)
            {
                break;
            }
        }

        byte[] frames = new byte[3 * 1004];
        for (int i = 0; i < 3; i++)
        {
            byte[] body = new byte[1000];
            new Random(i).NextBytes(body);
            byte[] header = [0, 0, 3, 232];
            header.CopyTo(frames, i * 1004);
            body.CopyTo(frames, (i * 1004) + 4);
            Assert.True(i == 2 ? !output.WriteGathered(header, body, default) : output.TryHold(header, body, default, limit: 4096));
        }

        Assert.Equal(frames.Length, output.UnflushedBytes); // the socket took none of it: the held frames, then the third
        var reading = ReadExactlyAsync(pair.Server, filler + frames.Length, cts.Token);
        await output.FlushAsync(cts.Token);
        byte[] received = await reading;
        Assert.True(frames.AsSpan().SequenceEqual(received.AsSpan(filler)));
    }

    private static void HoldTwoThenWriteTheThird(TcpStreamPipeWriter output)
    {
        Assert.True(output.TryHold([0, 0, 0, 3], "one"u8, [], limit: 20));
        Assert.True(output.TryHold([0, 0, 0, 3], "tw"u8, "o"u8, limit: 20));
        Assert.False(output.TryHold([0, 0, 0, 5], "thr"u8, "ee"u8, limit: 20)); // 14 + 9 > 20: not written
        Assert.Equal(14, output.UnflushedBytes);
        Assert.Equal(0, output.Sends);

        Assert.True(output.WriteGathered([0, 0, 0, 5], "thr"u8, "ee"u8));
    }

    private static async Task<byte[]> ReadExactlyAsync(IStreamConnection connection, int count, CancellationToken cancellationToken)
    {
        var input = connection.Transport.Input;
        byte[] bytes = new byte[count];
        int at = 0;
        while (at < count)
        {
            var result = await input.ReadAsync(cancellationToken);
            var chunk = result.Buffer.Slice(0, Math.Min(result.Buffer.Length, count - at));
            chunk.CopyTo(bytes.AsSpan(at));
            at += (int)chunk.Length;
            input.AdvanceTo(chunk.End);
            Assert.False(result.IsCompleted && at < count, "the stream ended early");
        }

        return bytes;
    }
}
