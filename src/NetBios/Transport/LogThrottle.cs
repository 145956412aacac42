namespace NetBios.Transport;

/// <summary>
/// Rate-limited logging of a repeated event: at most one line per interval, carrying how many events happened since
/// the previous line. The first event after a quiet interval is logged at once (count 1); the events that follow within
/// the interval are only counted, and the first event after the interval logs them all in one line. A flood of N events
/// therefore costs one line per interval, not N.
/// </summary>
/// <remarks>
/// Time comes from the injected <see cref="TimeProvider"/>; there is no timer, so the count of the last interval of a
/// flood is reported with the next event (or never, if none comes). Thread safety: all members may be called concurrently.
/// </remarks>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private long _nextLine = long.MinValue;
    private long _count;

    /// <summary>The shortest time between two lines.</summary>
    public TimeSpan Interval => interval;

    /// <summary>Records one event; true when a line is due now.</summary>
    /// <param name="count">The events since the previous line, this one included (valid when true is returned).</param>
    /// <returns>True when the caller should log one line with <paramref name="count"/>.</returns>
    public bool ShouldLog(out long count)
    {
        long now = time.GetTimestamp();
        lock (_lock)
        {
            _count++;
            if (now < _nextLine)
            {
                count = 0;
                return false;
            }

            count = _count;
            _count = 0;
            _nextLine = now + (long)(interval.TotalSeconds * time.TimestampFrequency);
            return true;
        }
    }
}
