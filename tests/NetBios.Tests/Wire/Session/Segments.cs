using System.Buffers;

namespace NetBios.Tests.Wire.Session;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/> cut at the given offsets.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(byte[] data, IEnumerable<int> cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Prepend(0).Append(data.Length).ToArray();
        var first = new Segments(data.AsMemory(bounds[0], bounds[1] - bounds[0]), 0);
        var last = first;
        for (int i = 1; i < bounds.Length - 1; i++)
        {
            var next = new Segments(data.AsMemory(bounds[i], bounds[i + 1] - bounds[i]), bounds[i]);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
