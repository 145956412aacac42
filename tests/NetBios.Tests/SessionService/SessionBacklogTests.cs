using NetBios.SessionService;
using Xunit;
using static NetBios.Tests.Sessions.SessionTestBed;

namespace NetBios.Tests.Sessions;

/// <summary>
/// Issue 18, fourth round: with a backlog (the sender ahead of the receiver) a filled receive is handed over at the read
/// loop's next real wait, inline, instead of through the thread pool at once. Message boundaries, order and pieces
/// (Incomplete) must come out exactly as sent, whatever mix of sizes, wait kinds and buffer sizes.
/// </summary>
public sealed class SessionBacklogTests
{
    [Theory(Timeout = 120_000)]
    [InlineData(Net.Tcp, 4096)]
    [InlineData(Net.Tcp, 131_071)]
    [InlineData(Net.Memory, 4096)]
    public async Task Backlog_OfMixedSizes_ArrivesWhole_InOrder(Net net, int receiveBuffer)
    {
        await using var bed = new SessionTestBed(net);
        await bed.StartAsync();
        var (caller, listener) = await bed.ConnectAsync();
        int[] sizes = [1, 100, 4096, 5000, 70_000, 64];
        const int messages = 240;
        var sending = Task.Run(async () =>
        {
            for (int i = 0; i < messages; i++)
            {
                Assert.Equal(SessionIoStatus.Ok, await caller.SendAsync(Payload(i, sizes[i % sizes.Length]), Ct));
            }
        });

        byte[] buffer = new byte[receiveBuffer];
        for (int i = 0; i < messages; i++)
        {
            var expected = Payload(i, sizes[i % sizes.Length]);
            int at = 0;
            while (true)
            {
                var received = await listener.ReceiveAsync(buffer, Ct);
                Assert.True(received.Status is SessionIoStatus.Ok or SessionIoStatus.Incomplete, $"message {i}: {received.Status}");
                Assert.True(expected.AsSpan(at, received.BytesReceived).SequenceEqual(buffer.AsSpan(0, received.BytesReceived)), $"message {i} at {at}");
                at += received.BytesReceived;
                if (received.Status == SessionIoStatus.Ok)
                {
                    break;
                }
            }

            Assert.Equal(expected.Length, at);
        }

        await sending;
    }

    private static byte[] Payload(int index, int size)
    {
        byte[] bytes = new byte[size];
        new Random(index).NextBytes(bytes);
        return bytes;
    }
}
