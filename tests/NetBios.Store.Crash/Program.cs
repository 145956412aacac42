using System.Globalization;
using System.Net;
using NetBios;
using NetBios.NameServer;
using NetBios.NameServer.Sqlite;
using NetBios.Wire.NameService;

// Usage: NetBios.Store.Crash DATABASE PREFIX [WRITERS]
// Opens the database, then WRITERS concurrent loops each insert names PREFIX-<writer>-<n> and print
// "acked <name> <version>" once WriteAsync completed (i.e. the record is durable). Prints "open" once the store is
// open. Stops by itself after 100 000 writes or 60 s (the test kills it long before).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: NetBios.Store.Crash DATABASE PREFIX [WRITERS]");
    return 2;
}

int writers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
var stdout = Console.Out;
var gate = new Lock();
await using var store = await SqliteWinsStore.OpenAsync(args[0]);
lock (gate)
{
    stdout.WriteLine("open");
    stdout.Flush();
}

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
int written = 0;
await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (int n = 0; !stop.IsCancellationRequested && Interlocked.Increment(ref written) <= 100_000; n++)
    {
        string text = $"{args[1]}-{w}-{n}";
        var record = new WinsRecord
        {
            Name = NetBiosName.Create(text.Length > 15 ? text[^15..] : text, 0x20),
            Type = WinsRecordType.Unique,
            State = WinsRecordState.Active,
            NodeType = NodeType.H,
            Addresses = [new WinsAddress(IPAddress.Parse("10.1.2.3"), IPAddress.Loopback, DateTimeOffset.UnixEpoch.AddDays(20000))],
            Expires = DateTimeOffset.UnixEpoch.AddDays(20000),
            Owner = IPAddress.Loopback,
        };
        var result = await store.WriteAsync(record, 0);
        if (result.Succeeded)
        {
            lock (gate)
            {
                // One write(2) per line: a line in the pipe was acknowledged before the kill.
                stdout.WriteLine($"acked {Convert.ToHexString(record.Name.ToArray())} {result.Record!.Version}");
                stdout.Flush();
            }
        }
    }
})));
return 0;
