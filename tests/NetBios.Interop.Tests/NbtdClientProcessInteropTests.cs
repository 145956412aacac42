using System.Diagnostics;
using NetBios.Interop.Tests.Harness;
using Xunit;

namespace NetBios.Interop.Tests;

/// <summary>
/// Issue 15 "Must show" with real processes around a real nbtd in a namespace of a broadcast segment, seen by Samba's
/// nmblookup from another namespace: a client process killed with SIGKILL loses its name on the wire within the bound
/// of docs/IPC.md "Lifetime" (5 s); examples/NcbChat runs twice on one host through the daemon (NBT_DAEMON=socket).
/// </summary>
[Trait("Category", "Interop")]
[Collection(nameof(NbtdInteropTests))]
public sealed class NbtdClientProcessInteropTests(ITestOutputHelper output)
    : SegmentTestBase(2, InteropRequirements.Root, InteropRequirements.Ip, InteropRequirements.Nmblookup)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    /// <summary>docs/IPC.md "Lifetime": the bound for a killed client's names (B node: one NAME RELEASE, no wait).</summary>
    private static readonly TimeSpan ReleaseBound = TimeSpan.FromSeconds(5);

    private static readonly Lazy<Task<string>> Client = new(CompileClientAsync);

    private SegmentHost H1 => Segment[1];

    private SegmentHost H2 => Segment[2];

    [Fact(Timeout = 180_000)]
    public async Task AClientKilledWithSigkill_LosesItsName_NmblookupFromAnotherNamespaceStopsFindingIt()
    {
        string socket = SocketPath();
        await using var nbtd = H1.Namespace.StartProcess("dotnet", [NbtdPath(), "--Stations:0:Name=NBTDKILL", "--Ipc:SocketPath=" + socket]);
        Assert.True(await nbtd.WaitForOutputAsync("nbtd ready", StartLimit), nbtd.Output);

        await using var doomed = H1.Namespace.StartProcess(await Client.Value, [socket, "hold", "DOOMED"]);
        Assert.True(await doomed.WaitForOutputAsync("ADD 00", TimeSpan.FromSeconds(30)), doomed.Output);
        var found = await Nmblookup(H2, "-B", H1.Broadcast.ToString(), "DOOMED#00");
        Assert.Contains($"{H1.Address} DOOMED<00>", found.StdOut, StringComparison.Ordinal);

        var killed = Stopwatch.StartNew();
        Assert.True(Native.Signal(doomed.Pid, Native.SigKill));
        TimeSpan? goneBy = null;
        for (int attempt = 0; attempt < 20 && killed.Elapsed < TimeSpan.FromSeconds(30); attempt++)
        {
            var asked = killed.Elapsed;
            var query = await Nmblookup(H2, "-B", H1.Broadcast.ToString(), "DOOMED#00");
            if (!query.StdOut.Contains("DOOMED<00>", StringComparison.Ordinal))
            {
                goneBy = asked; // the first query that no longer found it was sent this long after the kill
                break;
            }
        }

        output.WriteLine($"SIGKILL → nmblookup no longer finds the name: asked {goneBy?.TotalMilliseconds:F0} ms after the kill");
        Assert.NotNull(goneBy);
        Assert.InRange(goneBy.Value, TimeSpan.Zero, ReleaseBound);

        // nbtd and its own names live on.
        var own = await Nmblookup(H2, "-B", H1.Broadcast.ToString(), "NBTDKILL#00");
        Assert.Contains($"{H1.Address} NBTDKILL<00>", own.StdOut, StringComparison.Ordinal);
        Assert.True(await nbtd.StopAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, nbtd.ExitCode);
    }

    [Fact(Timeout = 180_000)]
    public async Task NcbChat_RunsTwiceOnOneHostThroughNbtd_LinesCross_AndBothLeaveCleanly()
    {
        string socket = SocketPath();
        await using var nbtd = H1.Namespace.StartProcess("dotnet", [NbtdPath(), "--Stations:0:Name=NBTDCHAT", "--Ipc:SocketPath=" + socket]);
        Assert.True(await nbtd.WaitForOutputAsync("nbtd ready", StartLimit), nbtd.Output);

        string[] nicks = ["LEFTCHAT", "RIGHTCHAT"];
        var chats = nicks.Select(nick => H1.Namespace.StartProcess("env", ["NBT_DAEMON=" + socket, "dotnet", NcbChatPath(), nick, "DAEMONCHAT"])).ToList();
        try
        {
            foreach (var chat in chats)
            {
                Assert.True(await chat.WaitForOutputAsync("joined DAEMONCHAT", TimeSpan.FromSeconds(60)), chat.Output);
            }

            // Both names are the one station's, answered on the wire while the programs run.
            var left = await Nmblookup(H2, "-B", H1.Broadcast.ToString(), "LEFTCHAT#00");
            Assert.Contains($"{H1.Address} LEFTCHAT<00>", left.StdOut, StringComparison.Ordinal);

            await chats[0].WriteLineAsync("hello through nbtd");
            Assert.True(await chats[1].WaitForOutputAsync("<LEFTCHAT> hello through nbtd", TimeSpan.FromSeconds(60)), chats[1].Output);
            await chats[1].WriteLineAsync("and back");
            Assert.True(await chats[0].WaitForOutputAsync("<RIGHTCHAT> and back", TimeSpan.FromSeconds(60)), chats[0].Output);

            foreach (var chat in chats)
            {
                chat.CloseInput();
            }

            for (int i = 0; i < chats.Count; i++)
            {
                Assert.True(await chats[i].WaitForOutputAsync("leaving DAEMONCHAT", TimeSpan.FromSeconds(60)), chats[i].Output);
                var exiting = Stopwatch.StartNew();
                while (!chats[i].HasExited && exiting.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(50, TestContext.Current.CancellationToken); // bounded: the program exits after "leaving"
                }

                output.WriteLine($"--- {nicks[i]}\n{chats[i].Output}");
                Assert.Equal(0, chats[i].ExitCode);
            }

            // Their names went with them.
            foreach (string nick in nicks)
            {
                var gone = await Nmblookup(H2, "-B", H1.Broadcast.ToString(), nick + "#00");
                Assert.DoesNotContain($"{nick}<00>", gone.StdOut, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var chat in chats)
            {
                await chat.DisposeAsync();
            }
        }

        Assert.True(await nbtd.StopAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, nbtd.ExitCode);
    }

    private static Task<CommandResult> Nmblookup(SegmentHost host, params string[] args)
    {
        using var client = SambaClient.Create(host.Namespace, host.InterfaceSpec);
        return client.NmblookupAsync(args);
    }

    private static string SocketPath() => Path.Combine(SambaConfig.CreateWorkDirectory("nbtd-ipc"), "nbtd.sock");

    private static string BuiltDll(string project, string dll)
    {
        string nbt = Nbt.DllPath; // src/Nbt.Cli/bin/CONFIGURATION/net10.0/nbt.dll
        string configuration = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(nbt))!);
        string path = Path.Combine(RepositoryRoot(), project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{dll} not built at {path}");
    }

    private static string NbtdPath() => BuiltDll(Path.Combine("src", "Nbtd"), "nbtd.dll");

    private static string NcbChatPath() => BuiltDll(Path.Combine("examples", "NcbChat"), "NcbChat.dll");

    private static string RepositoryRoot() =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Nbt.DllPath)!, "..", "..", "..", "..", ".."));

    /// <summary>tests/Nbtd.Tests/c/nbtd_client.c (a client speaking docs/IPC.md itself), compiled once with gcc.</summary>
    private static async Task<string> CompileClientAsync()
    {
        string source = Path.Combine(RepositoryRoot(), "tests", "Nbtd.Tests", "c", "nbtd_client.c");
        string program = Path.Combine(SambaConfig.CreateWorkDirectory("nbtd-client"), "nbtd_client");
        var start = new ProcessStartInfo("gcc", ["-std=c11", "-D_GNU_SOURCE", "-O2", "-Wall", "-Wextra", "-Werror", "-o", program, source])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var gcc = Process.Start(start) ?? throw new InvalidOperationException("gcc did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string errors = await gcc.StandardError.ReadToEndAsync(timeout.Token);
        await gcc.WaitForExitAsync(timeout.Token);
        return gcc.ExitCode == 0 ? program : throw new InvalidOperationException($"gcc {source} failed:\n{errors}");
    }
}
