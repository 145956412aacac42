namespace NetBios.NameService;

/// <summary>What a <see cref="INameServiceHandler"/> did with a request.</summary>
public enum NameServiceHandling : byte
{
    /// <summary>Not this handler's business: the next handler gets the request.</summary>
    NotMine,

    /// <summary>Taken: answered, or deliberately left unanswered. No other handler sees it.</summary>
    Handled,
}
