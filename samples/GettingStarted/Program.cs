// The runnable samples of docs/GUIDE.md. `dotnet run --project samples/GettingStarted -- all` runs each one on an
// in-memory network (two nodes, real clock) — `bind` on loopback — and prints what it does.
using NetBios.Samples;

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await SampleRunner.RunAsync(args, Console.Out, cancel.Token);
