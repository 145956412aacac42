using BenchmarkDotNet.Running;

namespace NetBios.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/NetBios.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <remarks><c>-- idle-sessions N</c> instead opens N idle sessions and reports memory and threads (<see cref="SessionPair.RunIdleAsync"/>).</remarks>
    public static async Task Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "idle-sessions" && int.TryParse(args[1], out int count) && count > 0)
        {
            await SessionPair.RunIdleAsync(count);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
