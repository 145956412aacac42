using NetBios.NameService;
using NetBios.Wire.NameService;

namespace NetBios.Tests.NameServer;

/// <summary>A handler that records the requests offered to it and signals each.</summary>
internal sealed class RecordingHandler : INameServiceHandler
{
    private readonly List<NameServicePacket> _seen = [];

    public TaskCompletionSource<NameServicePacket> Directed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<NameServicePacket> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public ValueTask<NameServiceHandlerResult> HandleAsync(NameServiceRequest request, CancellationToken cancellationToken)
    {
        lock (_seen)
        {
            _seen.Add(request.Packet);
        }

        if (!request.IsBroadcast)
        {
            Directed.TrySetResult(request.Packet);
        }

        return ValueTask.FromResult(NameServiceHandlerResult.Ignored);
    }
}
