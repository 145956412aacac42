using System.Buffers;
using System.IO.Pipelines;
using NetBios.Tests.TestCommon;
using NetBios.Wire.Session;
using Xunit;

namespace NetBios.Tests.Wire.Session;

public sealed class NbssFrameScannerTests
{
    /// <summary>What a frame is, independent of how the stream was segmented: TYPE, LENGTH and where its body starts.</summary>
    private readonly record struct FrameId(SessionPacketType Type, int Length, long BodyOffset);

    private static readonly byte[] StreamBytes = BuildStream();

    /// <summary>
    /// A scoped session request, a positive response, a 1000-byte message, a keepalive in between, the legacy 0x89,
    /// a 131071-byte E-bit message, an empty message, a negative response.
    /// </summary>
    private static byte[] BuildStream()
    {
        byte[] message = new byte[1000];
        new Random(139).NextBytes(message);
        byte[] big = new byte[131071];
        new Random(140).NextBytes(big);
        return [
            .. SessionPacketTests.Build("scoped request").ToArray(),
            .. SessionPacketTests.Build("positive").ToArray(),
            0x00, 0x00, 0x03, 0xE8, .. message,
            .. SessionPacketTests.Build("keepalive").ToArray(),
            .. SessionPacketTests.Build("legacy").ToArray(),
            0x00, 0x01, 0xFF, 0xFF, .. big,
            0x00, 0x00, 0x00, 0x00,
            .. SessionPacketTests.Build("negative").ToArray(),
        ];
    }

    private static readonly FrameId[] Expected =
    [
        new(SessionPacketType.SessionRequest, 86, 4),
        new(SessionPacketType.PositiveSessionResponse, 0, 94),
        new(SessionPacketType.SessionMessage, 1000, 98),
        new(SessionPacketType.SessionKeepAlive, 0, 1102),
        new(SessionPacketType.LegacyKeepAliveRequest, 0, 1106),
        new(SessionPacketType.SessionMessage, 131071, 1110),
        new(SessionPacketType.SessionMessage, 0, 132185),
        new(SessionPacketType.NegativeSessionResponse, 1, 132189),
    ];

    /// <summary>Scans a whole buffer with the consumed/examined overload, as a PipeReader loop would.</summary>
    private static List<FrameId> Scan(ReadOnlySequence<byte> buffer, bool checkContent = false)
    {
        var scanner = new NbssFrameScanner();
        var all = buffer;
        var frames = new List<FrameId>();
        while (true)
        {
            var status = scanner.TryRead(buffer, out var frame, out var consumed, out var examined, out var error);
            if (status == OperationStatus.NeedMoreData)
            {
                Assert.True(buffer.IsEmpty, $"stream ends mid-frame: {buffer.Length} bytes left");
                Assert.Equal(buffer.Start, consumed);
                Assert.Equal(buffer.End, examined);
                return frames;
            }

            Assert.Equal(OperationStatus.Done, status);
            Assert.Equal(SessionFrameError.None, error);
            Assert.Equal(consumed, examined);
            long offset = all.GetOffset(frame.Body.Start);
            frames.Add(new FrameId(frame.Type, frame.Length, offset));
            Assert.Equal(frame.Length, frame.Body.Length);
            if (checkContent)
            {
                Assert.True(frame.Body.ToArray().AsSpan().SequenceEqual(StreamBytes.AsSpan((int)offset, frame.Length)));
            }

            buffer = buffer.Slice(consumed);
        }
    }

    [Fact]
    public void TryRead_SingleSegment_YieldsExpectedFrames()
    {
        Assert.Equal(Expected, Scan(new ReadOnlySequence<byte>(StreamBytes), checkContent: true));
    }

    [Fact]
    public void TryRead_TwoSegmentsSplitAtEveryPoint_YieldsSameFrames()
    {
        for (int split = 1; split < StreamBytes.Length; split++)
        {
            var frames = Scan(Segments.Create(StreamBytes, [split]));
            if (!frames.SequenceEqual(Expected))
            {
                Assert.Fail($"split at {split}: {string.Join(", ", frames)}");
            }
        }
    }

    [Fact]
    public void TryRead_OneBytePerSegment_YieldsSameFrames()
    {
        Assert.Equal(Expected, Scan(Segments.Create(StreamBytes, Enumerable.Range(1, StreamBytes.Length - 1)), checkContent: true));
    }

    [Fact]
    public void TryRead_RandomMultiSegmentSplits_YieldSameFrames()
    {
        var random = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            var cuts = Enumerable.Range(0, random.Next(1, 60)).Select(_ => random.Next(1, StreamBytes.Length)).ToArray();
            Assert.Equal(Expected, Scan(Segments.Create(StreamBytes, cuts), checkContent: i % 20 == 0));
        }
    }

    [Fact]
    public void TryRead_EveryPrefix_NeedsMoreDataAndConsumesNothing()
    {
        var scanner = new NbssFrameScanner();
        // Every prefix of the first three frames, cut also into two segments at a random point.
        int end = (int)Expected[2].BodyOffset + Expected[2].Length;
        var random = new Random(5);
        for (int length = 0; length <= end; length++)
        {
            byte[] prefix = StreamBytes[..length];
            var buffer = Segments.Create(prefix, [random.Next(1, Math.Max(2, length))]);
            int frames = 0;
            while (true)
            {
                var status = scanner.TryRead(buffer, out _, out var consumed, out var examined, out _);
                Assert.NotEqual(OperationStatus.InvalidData, status);
                if (status == OperationStatus.NeedMoreData)
                {
                    Assert.Equal(buffer.Start, consumed);
                    Assert.Equal(buffer.End, examined);
                    break;
                }

                frames++;
                buffer = buffer.Slice(consumed);
            }

            int complete = Expected.Count(f => f.BodyOffset + f.Length <= length && f.BodyOffset >= 4);
            Assert.Equal(complete, frames);
        }
    }

    [Theory]
    [InlineData("00 01 ff ff", SessionFrameError.TooLong)]           // SMBLoris: 131071 above a 65536 maximum
    [InlineData("00 02 00 00", SessionFrameError.ReservedFlags)]
    [InlineData("00 80 00 00", SessionFrameError.ReservedFlags)]
    [InlineData("86 00 00 00", SessionFrameError.UnknownType)]
    [InlineData("83 00 00 02", SessionFrameError.BadLengthForType)]   // negative response with length 2
    [InlineData("81 00 01 01", SessionFrameError.BadLengthForType)]
    [InlineData("82 00 00 01", SessionFrameError.BadLengthForType)]
    [InlineData("89 00 00 04", SessionFrameError.BadLengthForType)]
    public void TryRead_BadHeader_IsInvalidFromTheFourHeaderBytesAlone(string hex, SessionFrameError expected)
    {
        var scanner = new NbssFrameScanner(maxMessageLength: 65536);
        byte[] header = Hex.Parse(hex);

        // Exactly 4 bytes, in one segment and split 1+3, 2+2, 3+1: no body is waited for.
        for (int split = 0; split < 4; split++)
        {
            var buffer = split == 0 ? new ReadOnlySequence<byte>(header) : Segments.Create(header, [split]);
            var status = scanner.TryRead(buffer, out var frame, out var consumed, out _, out var error);

            Assert.Equal(OperationStatus.InvalidData, status);
            Assert.Equal(expected, error);
            Assert.Equal(buffer.Start, consumed);
            Assert.Equal(default, frame);
            Assert.Equal(OperationStatus.InvalidData, scanner.TryReadHeader(buffer, out _, out _));
        }
    }

    [Fact]
    public void TryRead_SmbLorisHeaderWithDefaultMaximum_WaitsForBody()
    {
        var scanner = new NbssFrameScanner();

        Assert.Equal(OperationStatus.NeedMoreData, scanner.TryRead(new ReadOnlySequence<byte>(Hex.Parse("00 01 ff ff")), out _, out long _, out _));
        Assert.Equal(OperationStatus.NeedMoreData, scanner.TryRead(new ReadOnlySequence<byte>(Hex.Parse("00 01 ff")), out _, out long _, out _));
        Assert.Equal(OperationStatus.Done, scanner.TryReadHeader(new ReadOnlySequence<byte>(Hex.Parse("00 01 ff ff")), out var header, out _));
        Assert.Equal(131071, header.Length);
    }

    [Fact]
    public void TryRead_MaximumMessageLength_IsInclusive()
    {
        var scanner = new NbssFrameScanner(maxMessageLength: 10);
        byte[] ten = [0x00, 0x00, 0x00, 0x0A, .. new byte[10]];
        byte[] eleven = [0x00, 0x00, 0x00, 0x0B];
        byte[] empty = [0x00, 0x00, 0x00, 0x00];

        Assert.Equal(OperationStatus.Done, scanner.TryRead(new ReadOnlySequence<byte>(ten), out var frame, out long consumed, out _));
        Assert.Equal(14, consumed);
        Assert.Equal(10, frame.Length);
        Assert.Equal(OperationStatus.InvalidData, scanner.TryRead(new ReadOnlySequence<byte>(eleven), out _, out long _, out var error));
        Assert.Equal(SessionFrameError.TooLong, error);
        Assert.Equal(OperationStatus.Done, scanner.TryRead(new ReadOnlySequence<byte>(empty), out var emptyFrame, out long _, out _));
        Assert.True(emptyFrame.Body.IsEmpty);
        Assert.Equal(10, scanner.MaxMessageLength);
    }

    [Fact]
    public void TryDecodeFrame_ControlFramesSplitAcrossSegments_DecodeToThePackets()
    {
        var scanner = new NbssFrameScanner();
        var buffer = Segments.Create(StreamBytes, Enumerable.Range(1, 1200).Where(i => i % 7 == 0));
        var packets = new List<SessionPacket>();
        var errors = new List<SessionFrameError>();
        while (scanner.TryRead(buffer, out var frame, out long consumed, out _) == OperationStatus.Done)
        {
            if (SessionPacket.TryDecode(frame, out var packet, out var error))
            {
                packets.Add(packet);
            }
            else
            {
                errors.Add(error);
            }

            buffer = buffer.Slice(consumed);
        }

        Assert.Equal(
            [SessionPacketTests.Build("scoped request"), SessionPacketTests.Build("positive"), SessionPacketTests.Build("keepalive"),
             SessionPacketTests.Build("legacy"), SessionPacketTests.Build("negative")],
            packets);
        Assert.Equal([SessionFrameError.NotAControlPacket, SessionFrameError.NotAControlPacket, SessionFrameError.NotAControlPacket], errors);
    }

    [Fact]
    public void TryDecodeFrame_BodyDisagreeingWithLength_IsBadBody()
    {
        var frame = new NbssFrame(new SessionHeader(SessionPacketType.NegativeSessionResponse, 1), ReadOnlySequence<byte>.Empty);
        var big = new NbssFrame(new SessionHeader(SessionPacketType.SessionRequest, 300), new ReadOnlySequence<byte>(new byte[300]));

        Assert.False(SessionPacket.TryDecode(frame, out _, out var e1));
        Assert.Equal(SessionFrameError.BadBody, e1);
        Assert.False(SessionPacket.TryDecode(big, out _, out var e2));
        Assert.Equal(SessionFrameError.BadBody, e2);
    }

    [Fact]
    public void Constructor_MaximumOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NbssFrameScanner(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NbssFrameScanner(131072));
        Assert.Equal(131071, new NbssFrameScanner().MaxMessageLength);
    }

    [Fact]
    public void TakeBodyChunk_LimitsToRemainingAvailableAndMaximum()
    {
        var buffer = Segments.Create(new byte[100], [30, 60]);
        int remaining = 80;

        var first = NbssFrameScanner.TakeBodyChunk(buffer, ref remaining, maxChunkLength: 50);
        var second = NbssFrameScanner.TakeBodyChunk(buffer.Slice(first.End), ref remaining);
        var third = NbssFrameScanner.TakeBodyChunk(buffer.Slice(second.End), ref remaining);

        Assert.Equal(50, first.Length);
        Assert.Equal(30, second.Length);
        Assert.True(third.IsEmpty);
        Assert.Equal(0, remaining);
        int waiting = 5;
        Assert.True(NbssFrameScanner.TakeBodyChunk(ReadOnlySequence<byte>.Empty, ref waiting).IsEmpty);
        Assert.Equal(5, waiting);
    }

    [Fact]
    public async Task PipeReaderLoop_WholeFrames_YieldSameFramesWhateverTheWrites()
    {
        // Whole-frame mode needs the pipe to hold a whole 131075-byte frame: the writer threshold must be above it.
        var frames = await RunPipeAsync(new PipeOptions(pauseWriterThreshold: 300_000, resumeWriterThreshold: 150_000, minimumSegmentSize: 512), streamed: false, seed: 1);

        Assert.Equal(Expected.Select(f => (f.Type, f.Length)), frames.Select(f => (f.Type, f.Body.Length)));
        AssertBodies(frames);
    }

    [Fact]
    public async Task PipeReaderLoop_StreamedBodies_WorkWithABufferSmallerThanTheMessage()
    {
        // With the writer paused at 8 KiB the 131071-byte message can only get through if its body is taken in pieces.
        var frames = await RunPipeAsync(new PipeOptions(pauseWriterThreshold: 8192, resumeWriterThreshold: 4096, minimumSegmentSize: 512), streamed: true, seed: 2);

        Assert.Equal(Expected.Select(f => (f.Type, f.Length)), frames.Select(f => (f.Type, f.Body.Length)));
        AssertBodies(frames);
    }

    private static void AssertBodies(List<(SessionPacketType Type, byte[] Body)> frames)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(frames[i].Body.AsSpan().SequenceEqual(StreamBytes.AsSpan((int)Expected[i].BodyOffset, Expected[i].Length)), $"frame {i}");
        }
    }

    private static async Task<List<(SessionPacketType Type, byte[] Body)>> RunPipeAsync(PipeOptions options, bool streamed, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var pipe = new Pipe(options);
        var writer = Task.Run(async () =>
        {
            var random = new Random(seed);
            int position = 0;
            while (position < StreamBytes.Length)
            {
                int length = Math.Min(StreamBytes.Length - position, random.Next(1, 3000));
                await pipe.Writer.WriteAsync(StreamBytes.AsMemory(position, length), ct);
                position += length;
            }

            await pipe.Writer.CompleteAsync();
        }, ct);

        var scanner = new NbssFrameScanner();
        var frames = new List<(SessionPacketType, byte[])>();
        var body = new List<byte>();
        int remaining = 0;
        bool inBody = false;
        while (true)
        {
            var result = await pipe.Reader.ReadAsync(ct);
            var buffer = result.Buffer;
            var examined = buffer.End;
            while (true)
            {
                if (inBody)
                {
                    var chunk = NbssFrameScanner.TakeBodyChunk(buffer, ref remaining, maxChunkLength: 4096);
                    if (chunk.IsEmpty)
                    {
                        break;
                    }

                    body.AddRange(chunk.ToArray());
                    buffer = buffer.Slice(chunk.End);
                    if (remaining == 0)
                    {
                        frames.Add((SessionPacketType.SessionMessage, body.ToArray()));
                        inBody = false;
                    }

                    continue;
                }

                if (streamed)
                {
                    var headerStatus = scanner.TryReadHeader(buffer, out var header, out var headerError);
                    Assert.NotEqual(OperationStatus.InvalidData, headerStatus);
                    if (headerStatus == OperationStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (header.Type == SessionPacketType.SessionMessage)
                    {
                        buffer = buffer.Slice(SessionHeader.Size);
                        remaining = header.Length;
                        body.Clear();
                        if (remaining == 0)
                        {
                            frames.Add((SessionPacketType.SessionMessage, []));
                        }
                        else
                        {
                            inBody = true;
                        }

                        continue;
                    }
                }

                var status = scanner.TryRead(buffer, out var frame, out var consumed, out var frameExamined, out var error);
                Assert.NotEqual(OperationStatus.InvalidData, status);
                if (status == OperationStatus.NeedMoreData)
                {
                    examined = frameExamined;
                    break;
                }

                frames.Add((frame.Type, frame.Body.ToArray()));
                buffer = buffer.Slice(consumed);
            }

            pipe.Reader.AdvanceTo(buffer.Start, examined);
            if (result.IsCompleted)
            {
                Assert.True(buffer.IsEmpty && !inBody, "the stream ended mid-frame");
                break;
            }
        }

        await pipe.Reader.CompleteAsync();
        await writer;
        return frames;
    }
}
