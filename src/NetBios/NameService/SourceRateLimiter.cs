using System.Net;

namespace NetBios.NameService;

/// <summary>
/// A token bucket per source address (on the endpoint's <see cref="TimeProvider"/>) for answers larger than their
/// requests, so that no source — in particular a spoofed one, the victim of an amplification attack — gets more than
/// <see cref="NameServiceEndpointOptions.AnswerBurst"/> answers at once and
/// <see cref="NameServiceEndpointOptions.AnswersPerSecond"/> after that.
/// </summary>
/// <remarks>
/// <para>
/// The table holds at most <see cref="NameServiceEndpointOptions.MaxRateLimitedSources"/> buckets, so an attacker with
/// many source addresses cannot grow it without limit. When it is full, buckets that have refilled completely (they
/// hold no state a fresh bucket would not) are swept out, at most once per refill time; if none has, a new source shares
/// one overflow bucket with every other new source until room is made. A source already in the table keeps its own
/// bucket whatever others send, so a genuine peer that has been talking is never locked out by a flood of new sources.
/// </para>
/// <para>Thread safety: none; only the endpoint's receive loop calls it, one datagram at a time.</para>
/// </remarks>
internal sealed class SourceRateLimiter(TimeProvider time, NameServiceEndpointOptions options)
{
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];
    private readonly Bucket _overflow = new(options.AnswerBurst, time.GetTimestamp());
    private long _nextSweep = long.MinValue;

    /// <summary>How many sources have a bucket of their own.</summary>
    public int TrackedSources => _buckets.Count;

    /// <summary>Takes one token from <paramref name="source"/>'s bucket; false when it is empty (drop the answer).</summary>
    public bool TryAcquire(IPAddress source)
    {
        long now = time.GetTimestamp();
        if (!_buckets.TryGetValue(source, out var bucket))
        {
            if (_buckets.Count >= options.MaxRateLimitedSources && !Sweep(now))
            {
                return _overflow.TryTake(now, options, time.TimestampFrequency);
            }

            bucket = new Bucket(options.AnswerBurst, now);
            _buckets.Add(source, bucket);
        }

        return bucket.TryTake(now, options, time.TimestampFrequency);
    }

    /// <summary>Removes the buckets that are full again; true when room was made.</summary>
    private bool Sweep(long now)
    {
        if (now < _nextSweep)
        {
            return false;
        }

        double refillSeconds = options.AnswerBurst / options.AnswersPerSecond;
        _nextSweep = now + (long)(Math.Max(refillSeconds, 1) * time.TimestampFrequency);
        int before = _buckets.Count;
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsFull(now, options, time.TimestampFrequency))
            {
                _buckets.Remove(address);
            }
        }

        return _buckets.Count < before;
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        private double _tokens = tokens;
        private long _stamp = stamp;

        public bool TryTake(long now, NameServiceEndpointOptions options, long frequency)
        {
            Refill(now, options, frequency);
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }

        public bool IsFull(long now, NameServiceEndpointOptions options, long frequency)
        {
            Refill(now, options, frequency);
            return _tokens >= options.AnswerBurst;
        }

        private void Refill(long now, NameServiceEndpointOptions options, long frequency)
        {
            double elapsed = (double)(now - _stamp) / frequency;
            _stamp = now;
            _tokens = Math.Min(options.AnswerBurst, _tokens + (elapsed * options.AnswersPerSecond));
        }
    }
}
