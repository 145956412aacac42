using System.Buffers;
using System.Buffers.Binary;
using NetBios.NcbInterface;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>The daemon's reused NCB buffers (<see cref="DaemonNcbBufferPool"/>, docs/IPC.md "Benchmark"): exact sizes,
/// no byte of an earlier user left in what a client may get back, bounded, and only session SEND/RECEIVE buffers of
/// NCBs that ended with their own result go back.</summary>
public sealed class DaemonNcbBufferPoolTests
{
    [Fact]
    public void AReusedReceiveBufferIsExactAndZero()
    {
        var pool = new DaemonNcbBufferPool(1 << 20);
        var first = pool.Rent(65_535, 0, out bool pooled);
        Assert.True(pooled);
        first.AsSpan().Fill(0xAA);
        pool.Return(first);
        var second = pool.Rent(65_535, 0, out _);
        Assert.Same(first, second);
        Assert.Equal(65_535, second.Length);
        Assert.True(second.AsSpan().IndexOfAnyExcept((byte)0) < 0);
        Assert.NotSame(second, pool.Rent(65_535, 0, out _));
    }

    [Fact]
    public void AReusedSendBufferIsZeroBeyondTheBytesSent()
    {
        var pool = new DaemonNcbBufferPool(1 << 20);
        var first = pool.Rent(4096, 4096, out _);
        first.AsSpan().Fill(0x55);
        pool.Return(first);
        var second = pool.Rent(4096, 100, out _);
        Assert.Same(first, second);
        Assert.True(second.AsSpan(100).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void OnlyExactSizesAreReused()
    {
        var pool = new DaemonNcbBufferPool(1 << 20);
        var big = pool.Rent(65_535, 0, out _);
        pool.Return(big);
        Assert.NotSame(big, pool.Rent(65_534, 0, out _));
        Assert.Equal(65_535, pool.PooledBytes);
    }

    [Fact]
    public void ThePoolIsBounded()
    {
        var pool = new DaemonNcbBufferPool(100_000);
        pool.Return(new byte[65_535]);
        pool.Return(new byte[65_535]);
        Assert.Equal(65_535, pool.PooledBytes);
        var small = pool.Rent(100, 0, out bool pooled);
        Assert.False(pooled);
        pool.Return(small);
        Assert.Equal(65_535, pool.PooledBytes);
        for (int size = 2000; size < 2020; size++)
        {
            pool.Return(new byte[size]);
        }

        Assert.True(pool.PooledBytes <= 100_000);
    }

    [Theory]
    [InlineData(NcbCommand.Send, NcbReturnCode.GoodReturn, true)]
    [InlineData(NcbCommand.Receive, NcbReturnCode.Incomplete, true)]
    [InlineData(NcbCommand.Receive, NcbReturnCode.CommandCancelled, false)]
    [InlineData(NcbCommand.Receive, NcbReturnCode.CommandTimedOut, false)]
    [InlineData(NcbCommand.Send, NcbReturnCode.Incomplete, false)]
    [InlineData(NcbCommand.Send, NcbReturnCode.SessionClosed, false)]
    public void OnlyACommandsOwnResultReturnsItsBuffer(NcbCommand command, NcbReturnCode code, bool returns) =>
        Assert.Equal(returns, DaemonNcbCodec.ReturnsPooledBuffer(new Ncb { Command = command }, code));

    [Fact]
    public void ASubmittedReceiveRentsAZeroedBufferOfTheNcbsSize()
    {
        var pool = new DaemonNcbBufferPool(1 << 20);
        var dirty = new byte[3000];
        dirty.AsSpan().Fill(0xEE);
        pool.Return(dirty);
        var ncb = new Ncb { Command = NcbCommand.Receive, Length = 3000, Buffer = new byte[5000] };
        Assert.True(DaemonNcbCodec.TryReadSubmit(Submit(ncb), pool, out var read, out _, out _, out bool pooled));
        Assert.True(pooled);
        Assert.Same(dirty, read.Buffer);
        Assert.True(read.Buffer.AsSpan().IndexOfAnyExcept((byte)0) < 0);

        // A datagram send's buffer is never pooled (a datagram may be handed on without a copy).
        var datagram = new Ncb { Command = NcbCommand.DatagramSend, Length = 3000, Buffer = new byte[3000] };
        Assert.True(DaemonNcbCodec.TryReadSubmit(Submit(datagram), pool, out _, out _, out _, out bool datagramPooled));
        Assert.False(datagramPooled);
    }

    private static ReadOnlySequence<byte> Submit(Ncb ncb)
    {
        var payload = new byte[DaemonNcbCodec.SubmitLength(ncb)];
        DaemonNcbCodec.WriteSubmit(payload, ncb, 0, noWait: false);
        Assert.Equal((uint)DaemonNcbCodec.SubmitDataCount(ncb), BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(DaemonNcbCodec.SubmitHeadLength - 4)));
        return new ReadOnlySequence<byte>(payload);
    }
}
