namespace NetBios.Testing;

/// <summary>
/// What an <see cref="InMemoryNetwork.DeliveryFilter"/> decides for one datagram and one receiver: how many copies
/// arrive (0 drops it, 2 duplicates it) and after what delay.
/// </summary>
/// <param name="Copies">How many copies to deliver; 0 drops the datagram.</param>
/// <param name="Delay">How long after the send the copies arrive, measured on the network's <see cref="TimeProvider"/>;
/// <see cref="TimeSpan.Zero"/> delivers at once.</param>
public readonly record struct DeliveryDecision(int Copies, TimeSpan Delay)
{
    /// <summary>Deliver one copy now (what happens without a filter).</summary>
    public static DeliveryDecision Deliver => new(1, TimeSpan.Zero);

    /// <summary>Lose the datagram.</summary>
    public static DeliveryDecision Drop => new(0, TimeSpan.Zero);

    /// <summary>Deliver two copies now.</summary>
    public static DeliveryDecision Duplicate => new(2, TimeSpan.Zero);

    /// <summary>Deliver one copy after <paramref name="delay"/>.</summary>
    /// <param name="delay">The delay, on the network's <see cref="TimeProvider"/>.</param>
    /// <returns>The decision.</returns>
    public static DeliveryDecision Delayed(TimeSpan delay) => new(1, delay);
}
