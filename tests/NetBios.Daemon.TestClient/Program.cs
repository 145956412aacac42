// A daemon client as a separate process, for what only a real process can show (tests/NetBios.Daemon.Tests):
//   TestClient SOCKET hold NAME       RESET, ADD NAME, print "ADD <rc hex>", then wait until killed or stdin closes
//   TestClient SOCKET try NAME        RESET, ADD NAME, LISTEN (no-wait, then cancelled), SEND BROADCAST DATAGRAM;
//                                     print "ADD <rc>", "LISTEN <rc>", "BROADCAST <rc>" and "UID <uid>", exit 0
//   TestClient SOCKET station NAME    through the station API (NetBiosDaemonStation): add NAME, listen on it (cancelled),
//                                     send a broadcast from it; print "ADD <result>", "LISTEN <result>", "BROADCAST <result>"
//                                     (a result is the outcome, or "denied" for UnauthorizedAccessException), exit 0
//   TestClient SOCKET wins NAME       WINS SHOW NAME<00> and WINS DELETE of the version shown; print "SHOW found|absent"
//                                     and "DELETE <Ok|changed|the refusal's status>", exit 0
// Exit 2 when the daemon cannot be reached.
using System.Globalization;
using System.Text;
using NetBios;
using NetBios.Daemon;
using NetBios.NcbInterface;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: TestClient SOCKET hold|try|station|wins NAME");
    return 2;
}

NetBiosDaemonClient client;
try
{
    client = await NetBiosDaemonClient.ConnectAsync(args[0]);
}
catch (NetBiosDaemonException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (args[1] == "station")
{
    await using (client)
    {
        var station = await client.GetStationAsync(0);
        var name = NetBiosName.Create(args[2], 0x00);
        Console.WriteLine("ADD " + await Denied(async () => (await station.AddNameAsync(name)).Outcome.ToString()));
        Console.WriteLine("LISTEN " + await Denied(async () =>
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            return (await station.ListenAsync(name, null, cancel.Token)).Outcome.ToString();
        }));
        Console.WriteLine("BROADCAST " + await Denied(async () => (await station.SendBroadcastDatagramAsync(name, Encoding.ASCII.GetBytes("hi"))).Outcome.ToString()));
    }

    return 0;
}

if (args[1] == "wins")
{
    await using (client)
    {
        var admin = new NetBiosDaemonAdministration(client);
        var name = NetBiosName.Create(args[2], 0x00);
        var record = await admin.GetWinsRecordAsync(name);
        Console.WriteLine("SHOW " + (record is null ? "absent" : "found"));
        try
        {
            var deleted = await admin.DeleteWinsRecordAsync(name, record?.Version ?? 0);
            Console.WriteLine("DELETE " + (deleted.Succeeded ? "Ok" : "changed"));
        }
        catch (NetBiosDaemonRequestException ex)
        {
            Console.WriteLine("DELETE " + ex.Status);
        }
    }

    return 0;
}

static async Task<string> Denied(Func<Task<string>> action)
{
    try
    {
        return await action();
    }
    catch (UnauthorizedAccessException)
    {
        return "denied";
    }
    catch (InvalidOperationException ex)
    {
        return "error " + ex.Message.Replace(' ', '_');
    }
}

await using (client)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"UID {client.PeerUserId}"));
    var reset = await client.ResetAsync(0);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESET {(byte)reset:X2}"));
    var add = new Ncb { Command = NcbCommand.AddName };
    add.SetName(NetBiosName.Create(args[2], 0x00));
    var added = await client.SubmitAsync(add);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ADD {(byte)added:X2}"));
    if (args[1] == "hold")
    {
        Console.Out.Flush();
        await Console.In.ReadToEndAsync(); // killed meanwhile, or the test closes stdin
        return 0;
    }

    var listen = new Ncb { Command = NcbCommand.Listen | NcbCommand.Asynchronous };
    listen.SetName(NetBiosName.Create(args[2], 0x00));
    listen.SetCallName(NetBiosName.Wildcard);
    var immediate = client.Submit(listen);
    if (immediate == NcbReturnCode.GoodReturn)
    {
        await client.CancelAsync(listen);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LISTEN {(byte)immediate:X2}"));
    byte[] data = Encoding.ASCII.GetBytes("hello");
    var broadcast = new Ncb { Command = NcbCommand.DatagramSendBroadcast, NameNumber = add.NameNumber, Buffer = data, Length = (ushort)data.Length };
    var sent = await client.SubmitAsync(broadcast);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BROADCAST {(byte)sent:X2}"));
}

return 0;
