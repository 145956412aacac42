// The runnable samples of docs/GUIDE.md. `dotnet run --project samples/GettingStarted -- all` runs each one on an
// in-memory network (two nodes, real clock) — `bind` on loopback — and prints what it does.
namespace NetBios.Samples;

/// <summary>The samples' entry point (a class in a namespace, not top-level statements, so that a test project
/// referencing the samples and the nbt tool sees no global <c>Program</c>).</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await SampleRunner.RunAsync(args, Console.Out, cancel.Token);
    }
}
