using NetBios.Tests.TestCommon;
using Nbt.Cli;
using Nbt.Cli.Commands;
using Xunit;

namespace NetBios.Tests.Cli;

/// <summary>The line-per-message pump of nbt call / serve, between two stations in memory.</summary>
public sealed class SessionPumpTests
{
    [Fact]
    public async Task EndOfInput_HangsUp_AndBothSidesEnd()
    {
        await using var net = new StationTestNetwork();
        var (a, b, alice, bob) = await net.AliceAndBob();
        var listen = b.Sessions.ListenAsync(bob, null, TestContext.Current.CancellationToken).AsTask();
        var call = await net.Run(a.Sessions.CallAsync(alice, bob, TestContext.Current.CancellationToken));
        var listened = await listen;
        using var callerOut = new StringWriter();
        using var serverOut = new StringWriter();

        var serverInput = new ScriptedReader();
        var callerInput = new ScriptedReader();

        // The server's input stays open (like a terminal): it must still see the caller hang up.
        var server = SessionText.PumpAsync(listened.Session!, serverInput, new Output(serverOut, TextWriter.Null), true, TestContext.Current.CancellationToken);
        var caller = SessionText.PumpAsync(call.Session!, callerInput, new Output(callerOut, TextWriter.Null), true, TestContext.Current.CancellationToken);
        callerInput.Add("from caller");
        serverInput.Add("from server");
        await WaitFor(() => callerOut.ToString().Contains("from server", StringComparison.Ordinal) && serverOut.ToString().Contains("from caller", StringComparison.Ordinal));
        callerInput.End();

        Assert.Equal(NetBios.SessionService.SessionIoStatus.Closed, await server.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        await caller.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        serverInput.End(); // let the abandoned input read finish
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
}
