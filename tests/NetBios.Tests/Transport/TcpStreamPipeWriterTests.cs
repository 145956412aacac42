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
