using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>The outcome of <see cref="INameServiceHandler.HandleAsync"/>: not mine, taken without an answer, or an answer.</summary>
/// <param name="Handling">Whether the handler took the request.</param>
/// <param name="Response">The answer the endpoint sends to the request's source; null for none.</param>
public readonly record struct NameServiceHandlerResult(NameServiceHandling Handling, NameServicePacket? Response)
{
    /// <summary>Not this handler's business: the next handler gets the request.</summary>
    public static NameServiceHandlerResult NotMine => new(NameServiceHandling.NotMine, null);

    /// <summary>Taken, deliberately without an answer (a broadcast about someone else's name, a refused release…).</summary>
    public static NameServiceHandlerResult Ignored => new(NameServiceHandling.Handled, null);

    /// <summary>Taken and answered.</summary>
    /// <param name="response">The answer to send to the request's source.</param>
    /// <returns>The result.</returns>
    public static NameServiceHandlerResult Answer(NameServicePacket response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new(NameServiceHandling.Handled, response);
    }
}
