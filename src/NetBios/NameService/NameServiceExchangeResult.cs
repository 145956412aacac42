namespace NetBios.NameService;

/// <summary>How a request exchange ended.</summary>
/// <param name="TransactionId">The NAME_TRN_ID the request carried (a follow-up such as an overwrite demand may reuse it).</param>
/// <param name="Final">The response the filter finished with; null when none did.</param>
/// <param name="Collected">The responses the filter collected, in arrival order.</param>
public sealed record NameServiceExchangeResult(ushort TransactionId, NameServiceResponse? Final, IReadOnlyList<NameServiceResponse> Collected)
{
    /// <summary>True when nothing finished the exchange and nothing was collected: no (relevant) answer at all.</summary>
    public bool TimedOut => Final is null && Collected.Count == 0;
}
