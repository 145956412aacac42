using System.Text;
using Xunit;

namespace NetBios.Native.Tests;

/// <summary>libnetbios from C (and Python): ABI layouts, the NCB details, INT 5Ch, and the examples across processes.</summary>
public sealed class LibNetBiosTests(NativeBuild build)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AbiLayoutsAreWindowsX64()
    {
        var run = await ProcessRunner.RunAsync(build.Program("abi_layout"), [], build.Output, null, null, Limit);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("NCB               96 bytes", run.Output, StringComparison.Ordinal);
        Assert.Contains("abi ok", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderWorksFromCpp()
    {
        await RunCheckAsync("cpp_header", LoopbackStation.Environment("127.77.0.9"), "enum 0x00 GoodReturn, 1 lanas");
    }

    [Fact]
    public async Task CServerAnswersADotNetClient()
    {
        string lmhosts = WriteLmhosts("127.77.0.14 MIXEDSRV");
        var (server, serverOutput, lines) = await StartServerAsync("127.77.0.14", lmhosts, "MIXEDSRV", sessions: 1);
        using (server)
        {
            await using var station = await NativeVsManagedBenchmark.BindAsync(System.Net.IPAddress.Parse("127.77.0.15"), lmhosts);
            var netbios = new NetBios.NcbInterface.NetBiosInterface(new Dictionary<byte, NetBios.Station.NetBiosStation> { [0] = station });
            Assert.Equal(NetBios.NcbInterface.NcbReturnCode.GoodReturn, netbios.Submit(new NetBios.NcbInterface.Ncb { Command = NetBios.NcbInterface.NcbCommand.Reset }));
            var add = new NetBios.NcbInterface.Ncb { Command = NetBios.NcbInterface.NcbCommand.AddName };
            add.SetName(NetBiosName.Create("NCLIENT", 0x00));
            Assert.Equal(NetBios.NcbInterface.NcbReturnCode.GoodReturn, netbios.Submit(add));
            double microseconds = NativeVsManagedBenchmark.RunManaged(netbios, "NCLIENT", "MIXEDSRV", 4096, 20);
            Assert.True(microseconds > 0);
            await WaitAsync(server, lines);
            Assert.Equal(0, server.ExitCode);
            Assert.Contains("session 1 from NCLIENT<00>", serverOutput.ToString(), StringComparison.Ordinal);
            Assert.Contains("closed after 20 messages", serverOutput.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NcbDetailsHoldThroughNetbios()
    {
        await RunCheckAsync("ncb_details", LoopbackStation.Environment("127.77.0.5"), "details ok");
    }

    [Fact]
    public async Task SessionNcbsHoldThroughNetbios()
    {
        string lmhosts = WriteLmhosts("127.77.0.16 SELFSRV");
        await RunCheckAsync("session_details", LoopbackStation.Environment("127.77.0.16", lmhosts), "sessions ok");
    }

    [Fact]
    public async Task Int5CRunsOverEmulatedMemory()
    {
        await RunCheckAsync("int5c_test", LoopbackStation.Environment("127.77.0.6"), "int5c ok");
    }

    [Fact]
    public async Task TwoCProcessesTalkOverASession()
    {
        string lmhosts = WriteLmhosts("127.77.0.2 ECHOSRV");
        var (server, serverOutput, lines) = await StartServerAsync("127.77.0.2", lmhosts, "ECHOSRV", sessions: 1);
        using (server)
        {
            var client = await ProcessRunner.RunAsync(build.Program("nbclient"), ["CCLIENT", "ECHOSRV", "50", "4096"], build.Output,
                LoopbackStation.Environment("127.77.0.3", lmhosts), null, Limit);
            Assert.True(client.ExitCode == 0, client.Output + "\nserver:\n" + serverOutput);
            Assert.Contains("50 round trips of 4096 bytes", client.Output, StringComparison.Ordinal);
            await WaitAsync(server, lines);
            Assert.Equal(0, server.ExitCode);
            Assert.Contains("session 1 from CCLIENT<00>", serverOutput.ToString(), StringComparison.Ordinal);
            Assert.Contains("closed after 50 messages", serverOutput.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ChatJoinsSendsAndLeaves()
    {
        var run = await ProcessRunner.RunAsync(build.Program("nbchat"), ["ALICE", "CHATTERS"], build.Output,
            LoopbackStation.Environment("127.77.0.7"), "hello from alice\n", Limit);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("joined CHATTERS as ALICE", run.Output, StringComparison.Ordinal);
        Assert.Contains("left CHATTERS", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoChatProcessesSeeEachOthersLines()
    {
        var bob = StartChat("BOB", "127.77.0.21");
        var alice = StartChat("ALICE", "127.77.0.20");
        try
        {
            await bob.Wait("joined CHATTERS as BOB");
            await alice.Wait("joined CHATTERS as ALICE");
            await alice.Process.StandardInput.WriteLineAsync("hello from alice");
            await alice.Process.StandardInput.FlushAsync();
            await bob.Wait("<ALICE> hello from alice");
            await bob.Process.StandardInput.WriteLineAsync("hello back from bob");
            await bob.Process.StandardInput.FlushAsync();
            await alice.Wait("<BOB> hello back from bob");
        }
        finally
        {
            foreach (var chat in new[] { alice, bob })
            {
                chat.Process.StandardInput.Close();
                await WaitAsync(chat.Process, chat.Lines);
                chat.Process.Dispose();
            }
        }

        Assert.DoesNotContain("<ALICE>", alice.Output.ToString(), StringComparison.Ordinal); // its own line is not echoed
        Assert.Contains("left CHATTERS", bob.Output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Runs one of the C test programs and checks that it exited 0 and printed <paramref name="marker"/>.</summary>
    private async Task RunCheckAsync(string program, IReadOnlyDictionary<string, string>? environment, string marker)
    {
        var run = await ProcessRunner.RunAsync(build.Program(program), [], build.Output, environment, null, Limit);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(marker, run.Output, StringComparison.Ordinal);
    }

    private Chat StartChat(string nick, string address)
    {
        var output = new StringBuilder();
        var chat = new Chat(output);
        var (process, lines) = ProcessRunner.StartBackground(build.Program("nbchat"), [nick, "CHATTERS"], build.Output,
            LoopbackStation.Environment(address, sharedPorts: true), output, chat.OnLine, keepStdinOpen: true);
        chat.Process = process;
        chat.Lines = lines;
        return chat;
    }

    /// <summary>A chat process: its output, and waits for a line.</summary>
    private sealed class Chat(StringBuilder output)
    {
        private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

        public StringBuilder Output => output;

        public System.Diagnostics.Process Process { get; set; } = null!;

        public Task Lines { get; set; } = Task.CompletedTask;

        public void OnLine(string line)
        {
            lock (_waits)
            {
                foreach (var (text, seen) in _waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
                {
                    seen.TrySetResult();
                }
            }
        }

        public async Task Wait(string text)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waits)
            {
                _waits.Add((text, seen));
                lock (output)
                {
                    if (output.ToString().Contains(text, StringComparison.Ordinal))
                    {
                        seen.TrySetResult();
                    }
                }
            }

            if (await Task.WhenAny(seen.Task, Task.Delay(Limit)) != seen.Task)
            {
                throw new TimeoutException($"no '{text}' within {Limit.TotalSeconds} s:\n{output}");
            }
        }
    }

    [Fact]
    public async Task PythonReadsAdapterStatusThroughCtypes()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/python3"), "python3 is not installed");
        var run = await ProcessRunner.RunAsync("/usr/bin/python3",
            [Path.Combine(build.Root, "examples", "python", "nbstatus.py"), Path.Combine(build.Output, "libnetbios.so"), "PYNODE"],
            build.Output, LoopbackStation.Environment("127.77.0.8"), null, Limit);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("PYNODE         <00>  UNIQUE  #2", run.Output, StringComparison.Ordinal);
        Assert.Contains("max datagram 512", run.Output, StringComparison.Ordinal);
    }

    internal async Task<(System.Diagnostics.Process Process, StringBuilder Output, Task Lines)> StartServerAsync(string address, string lmhosts,
        string name, int sessions)
    {
        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (process, lines) = ProcessRunner.StartBackground(build.Program("nbserver"), [name, sessions.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            build.Output, LoopbackStation.Environment(address, lmhosts), output, line =>
            {
                if (line.StartsWith("listening as", StringComparison.Ordinal))
                {
                    listening.TrySetResult();
                }
            });
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(Limit));
        if (first != listening.Task)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw new InvalidOperationException("nbserver did not start:\n" + output);
        }

        return (process, output, lines);
    }

    internal static async Task WaitAsync(System.Diagnostics.Process process, Task lines)
    {
        using var cts = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await lines;
    }

    internal static string WriteLmhosts(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"libnetbios-{Environment.ProcessId}-{Guid.NewGuid():N}.lmhosts");
        File.WriteAllText(path, content + "\n");
        return path;
    }
}
