namespace NetBios.Tests.TestCommon;

/// <summary>A stdin with one line (none when null), then end of input once <paramref name="gate"/> completes.</summary>
internal sealed class GatedReader(string? line, Task gate) : TextReader
{
    private int _read;

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (line is not null && Interlocked.Increment(ref _read) == 1)
        {
            return line;
        }

        await gate.WaitAsync(cancellationToken);
        return null;
    }

    public override Task<string?> ReadLineAsync() => ReadLineAsync(CancellationToken.None).AsTask();

    public override string? ReadLine() => ReadLineAsync().GetAwaiter().GetResult();
}
