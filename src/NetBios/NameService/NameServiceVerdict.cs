namespace NetBios.NameService;

/// <summary>What an exchange's filter makes of one response (see <see cref="NameServiceEndpoint.ExchangeAsync"/>).</summary>
public readonly record struct NameServiceVerdict
{
    private NameServiceVerdict(NameServiceVerdictKind kind, TimeSpan wait)
    {
        Kind = kind;
        Wait = wait;
    }

    /// <summary>What to do.</summary>
    public NameServiceVerdictKind Kind { get; }

    /// <summary>For <see cref="NameServiceVerdictKind.WaitLonger"/>: how long to wait for the final answer.</summary>
    public TimeSpan Wait { get; }

    /// <summary>Not an answer to this exchange: keep waiting.</summary>
    public static NameServiceVerdict Ignore => new(NameServiceVerdictKind.Ignore, TimeSpan.Zero);

    /// <summary>An answer to keep: no more retransmissions, but the current window runs on to collect others (group
    /// members, conflicting claims).</summary>
    public static NameServiceVerdict Collect => new(NameServiceVerdictKind.Collect, TimeSpan.Zero);

    /// <summary>The answer that decides: the exchange ends with it.</summary>
    public static NameServiceVerdict Finish => new(NameServiceVerdictKind.Finish, TimeSpan.Zero);

    /// <summary>A WAIT FOR ACKNOWLEDGEMENT (RFC 1002 §4.2.16): no more retransmissions; the final answer may take
    /// <paramref name="wait"/> from now (a later WACK extends it again).</summary>
    /// <param name="wait">How long to wait.</param>
    /// <returns>The verdict.</returns>
    public static NameServiceVerdict WaitLonger(TimeSpan wait) => new(NameServiceVerdictKind.WaitLonger, wait);
}

/// <summary>The kinds of <see cref="NameServiceVerdict"/>.</summary>
public enum NameServiceVerdictKind : byte
{
    /// <summary>Keep waiting.</summary>
    Ignore,

    /// <summary>Keep the response; stop retransmitting; finish the window.</summary>
    Collect,

    /// <summary>End the exchange with this response.</summary>
    Finish,

    /// <summary>Stop retransmitting and wait longer for the final answer.</summary>
    WaitLonger,
}
