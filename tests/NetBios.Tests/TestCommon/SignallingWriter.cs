namespace NetBios.Tests.TestCommon;

/// <summary>A stdout that completes <see cref="Seen"/> once a line containing the text was written.</summary>
internal sealed class SignallingWriter(string text) : StringWriter
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override void WriteLine(string? value)
    {
        lock (this)
        {
            base.WriteLine(value);
        }

        Check(value);
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        WriteLine(buffer.ToString());
        return Task.CompletedTask;
    }

    private void Check(string? value)
    {
        if (value?.Contains(text, StringComparison.Ordinal) == true)
        {
            _seen.TrySetResult();
        }
    }
}
