using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// The allocation-free path of a <see cref="INameServiceHandler"/> for the most common request, a plain NAME QUERY
/// REQUEST (RFC 1002 §4.2.12) with one NB question: the endpoint reads it without decoding a packet and the handler
/// writes its answer into the endpoint's buffer.
/// </summary>
/// <remarks>The endpoint uses the fast path only while every handler before the answering one implements it; at the
/// first that does not, the request is decoded and offered through <see cref="INameServiceHandler.HandleAsync"/>.</remarks>
public interface INameQueryFastPath
{
    /// <summary>Answers a plain name query, or says it is not this handler's business.</summary>
    /// <param name="header">The request's header (transaction ID, B flag).</param>
    /// <param name="name">The name asked about.</param>
    /// <param name="response">Where to write the answer (at least 576 bytes).</param>
    /// <param name="written">Bytes written into <paramref name="response"/>; 0 for no answer.</param>
    /// <returns><see cref="NameServiceHandling.NotMine"/> to pass it on; <see cref="NameServiceHandling.Handled"/> when
    /// answered (<paramref name="written"/> &gt; 0) or deliberately ignored (0).</returns>
    NameServiceHandling TryAnswerQuery(in NameServiceHeader header, in NetBiosName name, Span<byte> response, out int written);
}
