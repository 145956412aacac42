using System.Diagnostics;
using NetBios.NcbInterface;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>Client lifetime (docs/IPC.md "Lifetime"): what a client holds goes when it disconnects or dies; a daemon that
/// goes away completes pending NCBs with NRC_SYSTEM, and a restarted one answers NRC_ENVNOTDEF until the client RESETs.</summary>
public sealed class DaemonLifetimeTests
{
    [Fact]
    public async Task Disconnect_ReleasesTheNames_AndEndsTheSessions_AsSeenByTheOthers()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var alice = await bed.ConnectAndResetAsync();
        var bob = await bed.ConnectAndResetAsync();
        await AddAsync(alice, "ALICE");
        await AddAsync(bob, "BOB");
        var (_, lsnB) = await ConnectAsync(alice, "ALICE", bob, "BOB");
        Assert.True(await bed.ObserverFindsAsync("ALICE"));
        var receive = Receive(lsnB, 100);
        var receiving = bob.SubmitAsync(receive, TestContext.Current.CancellationToken);

        await alice.DisposeAsync();

        var code = await receiving.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(code is NcbReturnCode.SessionAborted or NcbReturnCode.SessionClosed, code.ToString());
        Assert.True(await EventuallyAsync(() => !bed.StationHolds("ALICE")));
        Assert.False(await bed.ObserverFindsAsync("ALICE"));
        Assert.True(bed.StationHolds("BOB"));
        Assert.True(await EventuallyAsync(() => bed.Server!.ClientCount == 1));
    }

    [Fact]
    public async Task AClientProcessKilledWithSigkill_LosesItsNames()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        using var child = StartClient(bed.SocketPath, "hold", "DOOMED");
        try
        {
            Assert.Equal("00", await ReadFieldAsync(child, "ADD"));
            Assert.True(bed.StationHolds("DOOMED"));
            Assert.True(await bed.ObserverFindsAsync("DOOMED"));
            var killed = Stopwatch.StartNew();
            child.Kill(); // SIGKILL: the kernel closes its socket
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(await EventuallyAsync(() => !bed.StationHolds("DOOMED"), seconds: 5), "the name outlived its client by 5 s");
            Assert.InRange(killed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
            Assert.False(await bed.ObserverFindsAsync("DOOMED"));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [Fact]
    public async Task ADaemonThatGoesAway_CompletesPendingNcbsWithSystemError_AndARestartedOneWantsReset()
    {
        await using var bed = await DaemonTestBed.StartAsync();
        var client = await bed.ConnectAndResetAsync();
        byte number = await AddAsync(client, "ALICE");
        var receive = new Ncb { Command = NcbCommand.DatagramReceive | NcbCommand.Asynchronous, NameNumber = number, Buffer = new byte[10], Length = 10 };
        var posted = new TaskCompletionSource<NcbReturnCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        receive.Post = n => posted.TrySetResult(n.CommandComplete);
        Assert.Equal(NcbReturnCode.GoodReturn, client.Submit(receive));

        await bed.StopServerAsync();
        Assert.Equal(NcbReturnCode.SystemError, await posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.False(bed.StationHolds("ALICE"));
        Assert.True(await EventuallyAsync(() => !client.IsConnected));

        // No daemon: refused at once with NRC_OPENERR.
        Assert.Equal(NcbReturnCode.OpenError, await client.SubmitAsync(Make(NcbCommand.AddName, "ALICE"), TestContext.Current.CancellationToken));
        Assert.Empty(await client.EnumerateLanasAsync(TestContext.Current.CancellationToken));

        // A new daemon: the client reconnects as a new client, which must RESET first.
        await bed.StartServerAsync();
        Assert.Equal(NcbReturnCode.EnvironmentNotDefined, await client.SubmitAsync(Make(NcbCommand.AddName, "ALICE"), TestContext.Current.CancellationToken));
        Assert.True(client.IsConnected);
        Assert.Equal(NcbReturnCode.GoodReturn, await client.ResetAsync(0));
        await AddAsync(client, "ALICE");
        Assert.True(bed.StationHolds("ALICE"));
    }

    /// <summary>
    /// The test client's files copied to a directory every user may read: the build output may lie under a directory
    /// only its owner can enter (a clone in a 0700 temporary directory, root's home), where another user's process
    /// cannot even load the program.
    /// </summary>
    private static readonly Lazy<string> ClientCopyForOtherUsers = new(() =>
    {
        if (OperatingSystem.IsWindows())
        {
            return AppContext.BaseDirectory;
        }

        var directory = Directory.CreateTempSubdirectory("netbios-daemon-client-");
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            string copy = Path.Combine(directory.FullName, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return directory.FullName;
    });

    /// <summary>The test client as a real process (tests/NetBios.Daemon.TestClient), optionally as another user.</summary>
    internal static Process StartClient(string socketPath, string mode, string name, string? asUser = null)
    {
        string dll = Path.Combine(asUser is null ? AppContext.BaseDirectory : ClientCopyForOtherUsers.Value, "NetBios.Daemon.TestClient.dll");
        var start = asUser is null
            ? new ProcessStartInfo("dotnet")
            : new ProcessStartInfo("setpriv", ["--reuid=" + asUser, "--regid=nogroup", "--clear-groups", "--", "dotnet"]);
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(socketPath);
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(name);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["HOME"] = Path.GetTempPath();
        return Process.Start(start)!;
    }

    /// <summary>The value after "<paramref name="field"/> " on the child's stdout (30 s at most; the child's stderr on failure).</summary>
    internal static async Task<string> ReadFieldAsync(Process child, string field)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 20; i++)
        {
            string? line = await child.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                Assert.Fail($"the client ended before {field}: {await child.StandardError.ReadToEndAsync(timeout.Token)}");
            }

            if (line.StartsWith(field + " ", StringComparison.Ordinal))
            {
                return line[(field.Length + 1)..];
            }
        }

        Assert.Fail($"no {field} line");
        return string.Empty;
    }
}
