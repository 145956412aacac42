using NetBios.NcbInterface;
using Xunit;
using static NetBios.Daemon.Tests.Ncbs;

namespace NetBios.Daemon.Tests;

/// <summary>Many clients of one daemon at once (in-process; each a real socket connection).</summary>
public sealed class DaemonConcurrencyTests
{
    [Fact]
    public async Task AHundredClients_AddNames_SendDatagrams_AndCallEachOther_AtOnce()
    {
        const int Clients = 100;
        await using var bed = await DaemonTestBed.StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => bed.ConnectAndResetAsync()));
        var numbers = await Task.WhenAll(clients.Select((c, i) => AddAsync(c, $"CLIENT{i:D3}")));
        Assert.Equal(Clients, bed.Server!.ClientCount);

        // Each even client listens and waits for a datagram; its odd neighbour sends it one and calls it.
        var pairs = Enumerable.Range(0, Clients / 2).Select(async p =>
        {
            int listener = 2 * p, caller = 2 * p + 1;
            var receive = new Ncb { Command = NcbCommand.DatagramReceive, NameNumber = numbers[listener], Buffer = new byte[64], Length = 64 };
            var receiving = await StartAsync(clients[listener], receive);
            var listen = Make(NcbCommand.Listen, $"CLIENT{listener:D3}", "*");
            var listening = await StartAsync(clients[listener], listen);

            byte[] data = System.Text.Encoding.ASCII.GetBytes($"from {caller}");
            var send = new Ncb { Command = NcbCommand.DatagramSend, NameNumber = numbers[caller], Buffer = data, Length = (ushort)data.Length };
            send.SetCallName(Name($"CLIENT{listener:D3}"));
            Assert.Equal(NcbReturnCode.GoodReturn, await clients[caller].SubmitAsync(send, TestContext.Current.CancellationToken));
            Assert.Equal(NcbReturnCode.GoodReturn, await receiving);
            Assert.Equal($"from {caller}", Text(receive));

            var call = Make(NcbCommand.Call, $"CLIENT{caller:D3}", $"CLIENT{listener:D3}");
            Assert.Equal(NcbReturnCode.GoodReturn, await clients[caller].SubmitAsync(call, TestContext.Current.CancellationToken));
            Assert.Equal(NcbReturnCode.GoodReturn, await listening);
            Assert.Equal(NcbReturnCode.GoodReturn, await clients[caller].SubmitAsync(Send(call.LocalSessionNumber, "ping"), TestContext.Current.CancellationToken));
            var message = Receive(listen.LocalSessionNumber, 16);
            Assert.Equal(NcbReturnCode.GoodReturn, await clients[listener].SubmitAsync(message, TestContext.Current.CancellationToken));
            Assert.Equal("ping", Text(message));
        });
        await Task.WhenAll(pairs).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        Assert.True(await EventuallyAsync(() => bed.Server.ClientCount == 0, seconds: 20));
        Assert.DoesNotContain(bed.Station.GetNames(), n => n.State == NetBios.NameService.LocalNameState.Registered);
    }
}
