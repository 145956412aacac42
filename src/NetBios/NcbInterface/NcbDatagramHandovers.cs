using NetBios.DatagramService;

namespace NetBios.NcbInterface;

/// <summary>
/// The subscriptions of DATAGRAM RECEIVEs that have just completed, kept open for <see cref="Grace"/> for the receive
/// that re-arms them (docs/NCB.md "DATAGRAM RECEIVE").
/// </summary>
/// <remarks>
/// NetBIOS loses a datagram that arrives while no receive is pending, and the seed's programs re-arm their receive inside
/// the POST routine. On the original adapters that lost nothing: POST ran before the adapter handled the next frame.
/// Here POST runs on a library thread (through nbtd, in another process, or later from a DOS program's main loop) while
/// datagrams keep arriving, so a datagram right behind another one fell between the two receives. The completed
/// receive's subscription now stays open a little while, and the next receive of the same kind on the same interface and
/// LANA takes it over with what it queued meanwhile. A datagram that no receive takes within the grace is lost, as
/// NetBIOS says. RESET and DELETE NAME end the handovers they concern.
/// </remarks>
internal sealed class NcbDatagramHandovers
{
    /// <summary>How long a completed receive's subscription waits for the receive that re-arms it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly Dictionary<DatagramReceiveFilter, Handover> _waiting = [];
    private readonly Lock _lock = new();

    /// <summary>The subscription a completed receive with <paramref name="filter"/> left, if one waits.</summary>
    /// <param name="filter">The new receive's filter.</param>
    /// <returns>The subscription, now the caller's; null when none waits.</returns>
    public DatagramSubscription? Take(DatagramReceiveFilter filter)
    {
        Handover? handover;
        lock (_lock)
        {
            if (!_waiting.Remove(filter, out handover))
            {
                return null;
            }
        }

        handover.Expiry.Dispose();
        return handover.Subscription;
    }

    /// <summary>Keeps a completed receive's subscription for the next receive with the same filter, for <see cref="Grace"/>.</summary>
    /// <param name="filter">The completed receive's filter.</param>
    /// <param name="subscription">Its subscription (now owned here).</param>
    /// <param name="time">The clock of the grace.</param>
    public void Leave(DatagramReceiveFilter filter, DatagramSubscription subscription, TimeProvider time)
    {
        var handover = new Handover(subscription);
        Handover? replaced;
        lock (_lock)
        {
            _waiting.Remove(filter, out replaced); // a second receive with the same filter completed first: keep the newer
            _waiting[filter] = handover;
            handover.Expiry = time.CreateTimer(_ => Expire(filter, handover), null, Grace, Timeout.InfiniteTimeSpan);
        }

        replaced?.End();
    }

    /// <summary>Ends every handover (RESET).</summary>
    public void Clear()
    {
        Handover[] ended;
        lock (_lock)
        {
            ended = [.. _waiting.Values];
            _waiting.Clear();
        }

        foreach (var handover in ended)
        {
            handover.End();
        }
    }

    /// <summary>Ends the handover of receives for one name (DELETE NAME).</summary>
    /// <param name="filter">The receives' filter.</param>
    public void End(DatagramReceiveFilter filter)
    {
        Handover? ended;
        lock (_lock)
        {
            _waiting.Remove(filter, out ended);
        }

        ended?.End();
    }

    private void Expire(DatagramReceiveFilter filter, Handover handover)
    {
        lock (_lock)
        {
            if (!_waiting.TryGetValue(filter, out var current) || current != handover)
            {
                return;
            }

            _waiting.Remove(filter);
        }

        handover.End();
    }

    private sealed class Handover(DatagramSubscription subscription)
    {
        public DatagramSubscription Subscription { get; } = subscription;

        public ITimer Expiry { get; set; } = null!;

        public void End()
        {
            Expiry.Dispose();
            Subscription.Dispose();
        }
    }
}
