namespace NetBios.NameService;

/// <summary>
/// Answers name service requests that arrive at a <see cref="NameServiceEndpoint"/>: a request → response function,
/// testable without sockets. The endpoint offers each decoded request to its handlers in order until one handles it
/// (the node's responder first, then a name server, …).
/// </summary>
/// <remarks>
/// <para>
/// A handler never touches the socket: it returns its answer (sent by the endpoint to the request's source), says the
/// request is not its business (the next handler gets it), or takes it without an answer. Handlers run on the
/// endpoint's receive loop, one request at a time: return quickly. Work that takes longer (a name server's challenge
/// of an old owner) goes on in the background and answers later through <see cref="NameServiceRequest.ReplyAsync"/>.
/// </para>
/// <para>A handler may also implement <see cref="INameQueryFastPath"/> to answer plain name queries without allocating.</para>
/// </remarks>
public interface INameServiceHandler
{
    /// <summary>Handles one request (never a response: responses go to the transactions waiting for them).</summary>
    /// <param name="request">The decoded request and where it came from.</param>
    /// <param name="cancellationToken">Fires when the endpoint stops.</param>
    /// <returns>Not mine, handled without an answer, or the answer to send.</returns>
    ValueTask<NameServiceHandlerResult> HandleAsync(NameServiceRequest request, CancellationToken cancellationToken);
}
