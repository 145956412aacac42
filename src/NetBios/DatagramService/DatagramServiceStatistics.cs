namespace NetBios.DatagramService;

/// <summary>Counters of a <see cref="DatagramServiceNode"/>; updated atomically, read at any time.</summary>
public sealed class DatagramServiceStatistics
{
    private long _sent;
    private long _received;
    private long _delivered;
    private long _malformed;
    private long _notForUs;
    private long _errorsSent;
    private long _errorsReceived;
    private long _fragmentsReceived;
    private long _reassembled;
    private long _fragmentsRejected;
    private long _partialsDropped;
    private long _queueOverflows;

    /// <summary>Packets sent (each fragment counts).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Packets received.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Whole datagrams handed to at least one receiver.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Packets dropped because they did not decode.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Datagrams for a name that is not here.</summary>
    public long NotForUs => Interlocked.Read(ref _notForUs);

    /// <summary>DATAGRAM ERROR packets sent.</summary>
    public long ErrorsSent => Interlocked.Read(ref _errorsSent);

    /// <summary>DATAGRAM ERROR packets received.</summary>
    public long ErrorsReceived => Interlocked.Read(ref _errorsReceived);

    /// <summary>Fragments of fragmented datagrams received.</summary>
    public long FragmentsReceived => Interlocked.Read(ref _fragmentsReceived);

    /// <summary>Datagrams reassembled from fragments.</summary>
    public long Reassembled => Interlocked.Read(ref _reassembled);

    /// <summary>Fragments refused: overlapping, out of range, inconsistent with the others, or too many.</summary>
    public long FragmentsRejected => Interlocked.Read(ref _fragmentsRejected);

    /// <summary>Partial datagrams dropped: expired after FRAGMENT_TO, or evicted to stay within the bounds.</summary>
    public long PartialsDropped => Interlocked.Read(ref _partialsDropped);

    /// <summary>Datagrams dropped because a receiver's queue was full.</summary>
    public long QueueOverflows => Interlocked.Read(ref _queueOverflows);

    internal void AddSent(int count) => Interlocked.Add(ref _sent, count);

    internal void OnReceived() => Interlocked.Increment(ref _received);

    internal void OnDelivered() => Interlocked.Increment(ref _delivered);

    internal void OnMalformed() => Interlocked.Increment(ref _malformed);

    internal void OnNotForUs() => Interlocked.Increment(ref _notForUs);

    internal void OnErrorSent() => Interlocked.Increment(ref _errorsSent);

    internal void OnErrorReceived() => Interlocked.Increment(ref _errorsReceived);

    internal void OnFragmentReceived() => Interlocked.Increment(ref _fragmentsReceived);

    internal void OnReassembled() => Interlocked.Increment(ref _reassembled);

    internal void OnFragmentRejected() => Interlocked.Increment(ref _fragmentsRejected);

    internal void AddPartialsDropped(int count) => Interlocked.Add(ref _partialsDropped, count);

    internal void OnQueueOverflow() => Interlocked.Increment(ref _queueOverflows);
}
