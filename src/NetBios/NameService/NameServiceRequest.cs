using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>A request received by a <see cref="NameServiceEndpoint"/>, as its handlers see it.</summary>
public sealed class NameServiceRequest
{
    private readonly NameServiceEndpoint _endpoint;

    internal NameServiceRequest(NameServiceEndpoint endpoint, NameServicePacket packet, IPEndPoint source, IPAddress? localAddress = null)
    {
        _endpoint = endpoint;
        Packet = packet;
        Source = source;
        LocalAddress = localAddress;
    }

    /// <summary>The decoded request.</summary>
    public NameServicePacket Packet { get; }

    /// <summary>Where it came from (answers go there).</summary>
    public IPEndPoint Source { get; }

    /// <summary>The local address the request was sent to (for a broadcast: the address of the interface it came in
    /// on), when the transport reports it; answers, also later ones through <see cref="ReplyAsync"/>, leave from it.
    /// <see langword="null"/> when unknown (the routing table picks the source).</summary>
    public IPAddress? LocalAddress { get; }

    /// <summary>The B flag: broadcast (or sent as if broadcast) rather than directed at this node.</summary>
    public bool IsBroadcast => (Packet.Header.Flags & NameServiceFlags.Broadcast) != 0;

    /// <summary>The first question's name, or null for a request without one.</summary>
    public NetBiosName? QuestionName => Packet.Questions.Count > 0 ? Packet.Questions[0].Name : null;

    /// <summary>Sends a further answer to <see cref="Source"/> later (after a WACK, say) through the endpoint.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>A task that completes when the answer is sent.</returns>
    public ValueTask ReplyAsync(NameServicePacket response, CancellationToken cancellationToken = default) =>
        _endpoint.SendAsync(response, Source, LocalAddress, cancellationToken);
}
