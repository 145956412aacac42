using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NetBios;
using NetBios.Daemon;
using NetBios.DatagramService;
using NetBios.NameService;
using Xunit;

namespace Nbtd.Tests;

/// <summary>
/// Issue 15 item 2: <c>nbt send</c> and <c>nbt call</c> run through the real nbtd process when NBT_DAEMON names its
/// socket, from the station's own name (nbtd's host name), registering nothing per run; the receiving end is another
/// local program using the station API through the same daemon (<see cref="NetBiosDaemonStation"/>).
/// </summary>
public sealed class NbtThroughNbtdTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NbtSendAndCall_UseTheStationsName_ThroughNbtd()
    {
        var ports = FreePorts.Take();
        await using var nbtd = NbtdProcess.Start(FreePorts.LoopbackStation(ports, "NBTDHOST"));
        await nbtd.WaitForOutputAsync("nbtd ready", StartLimit);
        await using var receiver = await NetBiosDaemonStation.ConnectAsync(nbtd.SocketPath!, 0, Ct);
        var inbox = NetBiosName.Create("INBOX", 0x00);
        Assert.Equal(RegistrationOutcome.Registered, (await receiver.AddNameAsync(inbox, cancellationToken: Ct)).Outcome);
        var host = NetBiosName.Create("NBTDHOST", 0x00);
        Assert.Contains(await receiver.GetNamesAsync(Ct), n => n.Name == host);

        // nbt send: the datagram comes from NBTDHOST; --json as without a daemon.
        var receiving = receiver.ReceiveDatagramAsync(DatagramReceiveFilter.ForName(inbox), Ct).AsTask();
        (int Exit, string Stdout, string Stderr) send = default;
        for (int i = 0; i < 20 && !receiving.IsCompleted; i++)
        {
            send = await RunNbtAsync(nbtd.SocketPath!, ["send", "--json", "INBOX", "hello through nbtd"]);
            Assert.True(send.Exit == 0, send.Stderr);
            await Task.WhenAny(receiving, Task.Delay(250, Ct));
        }

        var datagram = await receiving.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("hello through nbtd", Encoding.ASCII.GetString(datagram.Data.Span));
        Assert.Equal(host, datagram.SourceName);
        using (var json = JsonDocument.Parse(send.Stdout ?? "{}"))
        {
            Assert.Equal("Sent", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(["outcome", "type", "source", "destination", "length", "fragments", "sentTo"],
                json.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        }

        // --from a name the station does not hold: a clear error, exit 1.
        var foreign = await RunNbtAsync(nbtd.SocketPath!, ["send", "--from", "STRANGER", "INBOX", "x"]);
        Assert.Equal(1, foreign.Exit);
        Assert.Contains("does not hold", foreign.Stderr, StringComparison.Ordinal);

        // nbt call: INBOX's program listens; nbt calls from NBTDHOST, sends a line, hangs up at end of input.
        var listening = receiver.ListenAsync(inbox, null, Ct).AsTask();
        var call = await RunNbtAsync(nbtd.SocketPath!, ["call", "INBOX"], stdin: "ping over a session\n", waitFor: listening);
        Assert.True(call.Exit == 0, call.Stderr);
        var listened = await listening.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(listened.IsConnected);
        Assert.Equal(host, listened.Session.RemoteName);
        byte[] buffer = new byte[256];
        var got = await listened.Session.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("ping over a session", Encoding.ASCII.GetString(buffer, 0, got.BytesReceived).TrimEnd('\r', '\n'));
        await listened.Session.DisposeAsync();
    }

    /// <summary>Runs nbt with NBT_DAEMON set to <paramref name="socket"/>; with <paramref name="waitFor"/>, stdin stays open
    /// until that task has completed (a listen that must be in place before the call).</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunNbtAsync(string socket, string[] args, string stdin = "", Task? waitFor = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(NbtDll.Value);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NBT_DAEMON"] = socket;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardInput.WriteAsync(stdin);
        await process.StandardInput.FlushAsync(Ct);
        if (waitFor is not null)
        {
            await Task.WhenAny(waitFor, Task.Delay(TimeSpan.FromSeconds(30), Ct));
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static readonly Lazy<string> NbtDll = new(() =>
    {
        string nbtd = NbtdProcess.DllPath; // src/Nbtd/bin/<configuration>/net10.0/nbtd.dll
        var framework = Path.GetDirectoryName(nbtd)!;
        string configuration = Path.GetFileName(Path.GetDirectoryName(framework)!);
        string src = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(framework)!)!)!)!;
        string path = Path.Combine(src, "Nbt.Cli", "bin", configuration, "net10.0", "nbt.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"nbt.dll not built at {path}");
    });
}
