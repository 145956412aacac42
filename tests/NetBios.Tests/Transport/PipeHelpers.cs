using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace NetBios.Tests.Transport;

internal static class PipeHelpers
{
    public static async Task WriteAsync(PipeWriter writer, string text, CancellationToken cancellationToken)
    {
        FlushResult result = await writer.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        Xunit.Assert.False(result.IsCanceled);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes as ASCII text.</summary>
    public static async Task<string> ReadExactlyAsync(PipeReader reader, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                string text = Encoding.ASCII.GetString(buffer.Slice(0, count));
                reader.AdvanceTo(buffer.GetPosition(count));
                return text;
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException($"Stream ended after {buffer.Length} of {count} bytes.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads until the peer completes; returns the bytes that were left.</summary>
    public static async Task<long> ReadToEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                long length = result.Buffer.Length;
                reader.AdvanceTo(result.Buffer.End);
                return length;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
