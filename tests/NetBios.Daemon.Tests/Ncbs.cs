using System.Text;
using NetBios.NcbInterface;
using Xunit;

namespace NetBios.Daemon.Tests;

/// <summary>Building NCBs and waiting for things in the daemon tests.</summary>
internal static class Ncbs
{
    public static NetBiosName Name(string text) => NetBiosName.Create(text, 0x00);

    public static Ncb Make(NcbCommand command, string? name = null, string? callName = null)
    {
        var ncb = new Ncb { Command = command };
        if (name is not null)
        {
            ncb.SetName(Name(name));
        }

        if (callName is not null)
        {
            ncb.SetCallName(callName == "*" ? NetBiosName.Wildcard : Name(callName));
        }

        return ncb;
    }

    public static async Task<byte> AddAsync(INetBios netbios, string name)
    {
        var add = Make(NcbCommand.AddName, name);
        Assert.Equal(NcbReturnCode.GoodReturn, await netbios.SubmitAsync(add, TestContext.Current.CancellationToken));
        return add.NameNumber;
    }

    public static Ncb Send(byte lsn, byte[] data) => new() { Command = NcbCommand.Send, LocalSessionNumber = lsn, Buffer = data, Length = (ushort)data.Length };

    public static Ncb Send(byte lsn, string text) => Send(lsn, Encoding.ASCII.GetBytes(text));

    public static Ncb Receive(byte lsn, int size) => new() { Command = NcbCommand.Receive, LocalSessionNumber = lsn, Buffer = new byte[size], Length = (ushort)size };

    public static string Text(Ncb ncb) => Encoding.ASCII.GetString(ncb.Buffer!, 0, ncb.Length);

    /// <summary>
    /// Submits <paramref name="ncb"/> no-wait (on a pool thread: <see cref="INetBios.Submit"/> waits for the daemon's
    /// NCB ACCEPTED, so the command is registered in the daemon once this returns) and gives its completion (at POST).
    /// </summary>
    public static async Task<Task<NcbReturnCode>> StartAsync(INetBios netbios, Ncb ncb)
    {
        var done = new TaskCompletionSource<NcbReturnCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        ncb.Command |= NcbCommand.Asynchronous;
        ncb.Post = n => done.TrySetResult(n.CommandComplete);
        var immediate = await Task.Run(() => netbios.Submit(ncb), TestContext.Current.CancellationToken);
        Assert.Equal(NcbReturnCode.GoodReturn, immediate);
        return done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    /// <summary>B listens on <paramref name="to"/> for anyone, A calls it from <paramref name="from"/>: the two LSNs.</summary>
    public static async Task<(byte Caller, byte Listener)> ConnectAsync(INetBios caller, string from, INetBios listener, string to)
    {
        var listen = Make(NcbCommand.Listen, to, "*");
        var listening = await StartAsync(listener, listen);
        var call = Make(NcbCommand.Call, from, to);
        Assert.Equal(NcbReturnCode.GoodReturn, await caller.SubmitAsync(call, TestContext.Current.CancellationToken));
        Assert.Equal(NcbReturnCode.GoodReturn, await listening);
        Assert.Equal(Name(from).ToArray(), listen.CallName);
        return (call.LocalSessionNumber, listen.LocalSessionNumber);
    }

    /// <summary>Waits (bounded: 10 s of real time, checking every 10 ms) until <paramref name="condition"/> holds.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, double seconds = 10)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return await condition();
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, double seconds = 10) => EventuallyAsync(() => Task.FromResult(condition()), seconds);

    /// <summary>Waits for an asynchronous NCB's POST (or its CommandComplete) within 10 s; its final code.</summary>
    public static async Task<NcbReturnCode> CompletedAsync(Ncb ncb)
    {
        Assert.True(await EventuallyAsync(() => ncb.CommandComplete != NcbReturnCode.Pending), "the NCB did not complete");
        return ncb.CommandComplete;
    }
}
