using System.IO.Pipelines;

namespace NetBios.Transport;

/// <summary>A plain <see cref="IDuplexPipe"/> from a reader and a writer.</summary>
/// <remarks>Shared source: NetBios.Testing compiles this file too (a linked <c>Compile</c> item).</remarks>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
