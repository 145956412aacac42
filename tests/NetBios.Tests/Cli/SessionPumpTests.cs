using NetBios.SessionService;
using NetBios.Tests.TestCommon;
using Nbt.Cli;
using Nbt.Cli.Commands;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>The pumps of nbt call / serve (lines, and bytes with --binary), between two stations in memory.</summary>
public sealed class SessionPumpTests
{
    [Fact]
    public async Task EndOfInput_HangsUp_AndBothSidesEnd()
    {
        await using var net = new StationTestNetwork();
        var (callerSession, serverSession) = await ConnectAsync(net);
        using var callerOut = new StringWriter();
        using var serverOut = new StringWriter();

        var serverInput = new ScriptedReader();
        var callerInput = new ScriptedReader();

        // The server's input stays open (like a terminal): it must still see the caller hang up.
        var server = SessionPump.LinesAsync(serverSession, serverInput, new Output(serverOut, TextWriter.Null), TestContext.Current.CancellationToken);
        var caller = SessionPump.LinesAsync(callerSession, callerInput, new Output(callerOut, TextWriter.Null), TestContext.Current.CancellationToken);
        callerInput.Add("from caller");
        serverInput.Add("from server");
        await WaitFor(() => callerOut.ToString().Contains("from server", StringComparison.Ordinal) && serverOut.ToString().Contains("from caller", StringComparison.Ordinal));
        callerInput.End();

        Assert.Equal(NetBios.SessionService.SessionIoStatus.Closed, await server.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        await caller.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        serverInput.End(); // let the abandoned input read finish
    }

    /// <summary>
    /// --binary carries bytes unchanged both ways (every byte value, newlines and zeros included, more than one
    /// message's worth), and the caller's end of input hangs up once its bytes are sent.
    /// </summary>
    [Fact]
    public async Task Binary_CarriesBytesUnchanged_BothWays_AndEndOfInputHangsUp()
    {
        await using var net = new StationTestNetwork();
        var (callerSession, serverSession) = await ConnectAsync(net);
        byte[] upstream = new byte[3 * SessionPump.BinaryChunkSize + 1234];
        new Random(139).NextBytes(upstream);
        byte[] downstream = [.. Enumerable.Range(0, 256).Select(i => (byte)i), .. "\r\n\0"u8];
        var serverInput = new ScriptedStream();
        var callerInput = new ScriptedStream();
        var serverOut = new MemoryStream();
        var callerOut = new MemoryStream();

        var server = SessionPump.BytesAsync(serverSession, serverInput, serverOut, TestContext.Current.CancellationToken);
        var caller = SessionPump.BytesAsync(callerSession, callerInput, callerOut, TestContext.Current.CancellationToken);
        serverInput.Add(downstream);
        foreach (var chunk in upstream.Chunk(SessionPump.BinaryChunkSize))
        {
            callerInput.Add(chunk);
        }

        await WaitFor(() => serverOut.Length == upstream.Length && callerOut.Length == downstream.Length);
        callerInput.End();

        Assert.Equal(NetBios.SessionService.SessionIoStatus.Closed, await server.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        await caller.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(upstream, serverOut.ToArray());
        Assert.Equal(downstream, callerOut.ToArray());
        serverInput.End();
    }

    /// <summary>When standard output goes away (the reader of a pipe quit), the pump hangs up instead of failing.</summary>
    [Fact]
    public async Task Binary_OutputGone_HangsUp()
    {
        await using var net = new StationTestNetwork();
        var (callerSession, serverSession) = await ConnectAsync(net);
        var serverInput = new ScriptedStream();

        var server = SessionPump.BytesAsync(serverSession, serverInput, new BrokenStream(), TestContext.Current.CancellationToken);
        Assert.Equal(NetBios.SessionService.SessionIoStatus.Ok, await callerSession.SendAsync(new byte[] { 1, 2, 3 }, TestContext.Current.CancellationToken));

        Assert.Equal(NetBios.SessionService.SessionIoStatus.Closed, await server.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        var end = await callerSession.ReceiveAsync(new byte[16], TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(NetBios.SessionService.SessionIoStatus.Closed, end.Status);
        serverInput.End();
    }

    /// <summary>Alice (station A) calls Bob (station B), who listens for anyone: both ends of the session.</summary>
    private static async Task<(NbssSession Caller, NbssSession Server)> ConnectAsync(StationTestNetwork net)
    {
        var (a, b, alice, bob) = await net.AliceAndBob();
        var listen = b.Sessions.ListenAsync(bob, null, TestContext.Current.CancellationToken).AsTask();
        var call = await net.Run(a.Sessions.CallAsync(alice, bob, TestContext.Current.CancellationToken));
        return (call.Session!, (await listen).Session!);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>Standard input as a terminal gives it: lines when typed, blocking (synchronously, as Console.In does) in between.</summary>
    private sealed class ScriptedReader : TextReader
    {
        private readonly System.Collections.Concurrent.BlockingCollection<string?> _lines = [];

        public void Add(string line) => _lines.Add(line);

        public void End() => _lines.Add(null);

        public override string? ReadLine() => _lines.Take();

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());

        protected override void Dispose(bool disposing)
        {
            _lines.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Standard input as a terminal or an idle pipe gives it: chunks when written, blocking (synchronously) in between.</summary>
    private sealed class ScriptedStream : Stream
    {
        private readonly System.Collections.Concurrent.BlockingCollection<byte[]?> _chunks = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Add(byte[] chunk) => _chunks.Add(chunk);

        public void End() => _chunks.Add(null);

        public override int Read(byte[] buffer, int offset, int count)
        {
            byte[]? chunk = _chunks.Take();
            if (chunk is null)
            {
                _chunks.Add(null); // stays at its end
                return 0;
            }

            Assert.True(chunk.Length <= count, "the test's chunks fit the pump's buffer");
            chunk.CopyTo(buffer, offset);
            return chunk.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Standard output whose reader has gone: every write fails as a broken pipe does.</summary>
    private sealed class BrokenStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }
}
