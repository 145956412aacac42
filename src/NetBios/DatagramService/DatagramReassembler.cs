using System.Net;
using NetBios.Wire.Datagram;

namespace NetBios.DatagramService;

/// <summary>
/// Reassembles fragmented user datagrams (RFC 1002 §4.4.2: first F=1 M=1, middle F=0 M=1, last F=0 M=0, PACKET_OFFSET
/// = where the fragment's data goes) keyed by (DGM_ID, SOURCE_IP, SOURCE_PORT), within FRAGMENT_TO.
/// </summary>
/// <remarks>
/// Hostile input is bounded: at most <see cref="DatagramServiceOptions.MaxPartialDatagrams"/> partial datagrams and
/// <see cref="DatagramServiceOptions.MaxReassemblyBytes"/> buffered bytes (the oldest partial goes first), at most
/// <see cref="DatagramServiceOptions.MaxFragmentsPerDatagram"/> fragments each, nothing beyond
/// <see cref="DatagramServiceOptions.MaxReceiveLength"/>. A fragment that overlaps another, lies outside the datagram,
/// or disagrees with the others (type, names, first offset not 0, two different ends) discards the whole partial
/// datagram: it cannot be completed correctly. Thread-safe.
/// </remarks>
internal sealed class DatagramReassembler
{
    private readonly DatagramServiceOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<Key, Partial> _partials = [];
    private readonly Lock _lock = new();
    private long _bufferedBytes;

    public DatagramReassembler(DatagramServiceOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>The outcome of adding one fragment.</summary>
    public enum Result
    {
        /// <summary>Kept; more fragments are needed.</summary>
        Pending,

        /// <summary>The datagram is whole.</summary>
        Complete,

        /// <summary>Refused (and its partial datagram, if any, discarded).</summary>
        Rejected,
    }

    /// <summary>Partial datagrams held now.</summary>
    public int PartialCount
    {
        get
        {
            lock (_lock)
            {
                return _partials.Count;
            }
        }
    }

    /// <summary>Bytes held by partial datagrams now.</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bufferedBytes;
            }
        }
    }

    /// <summary>Adds one fragment (not an unfragmented datagram).</summary>
    /// <param name="fragment">The fragment.</param>
    /// <param name="data">The whole user data when the result is <see cref="Result.Complete"/>.</param>
    /// <param name="dropped">Partial datagrams dropped by this call (expired, evicted or discarded).</param>
    public Result Add(UserDatagram fragment, out byte[]? data, out int dropped)
    {
        data = null;
        int offset = fragment.PacketOffset;
        int length = fragment.UserData.Length;
        int end = offset + length;
        bool first = fragment.IsFirst;
        bool last = !fragment.HasMore;
        lock (_lock)
        {
            dropped = ExpireLocked();

            // Shape checks that need no state: the first fragment starts at 0, the others after it; a middle
            // fragment carries data; nothing lies beyond the largest datagram accepted.
            if ((first && offset != 0) || (!first && offset == 0) || (!last && length == 0) || end > _options.MaxReceiveLength)
            {
                return Result.Rejected;
            }

            var key = new Key(fragment.Header.DatagramId, fragment.Header.SourceAddress, fragment.Header.SourcePort);
            bool isNew = !_partials.TryGetValue(key, out var partial);
            if (isNew)
            {
                partial = new Partial(fragment, _time.GetTimestamp());
            }
            else if (partial!.IsDuplicate(offset, fragment.UserData.Span))
            {
                return Result.Pending; // the same fragment again (a retransmission or a duplicating network)
            }
            else if (!partial.Matches(fragment) || partial.Pieces.Count >= _options.MaxFragmentsPerDatagram || !partial.TryPlace(offset, end, first, last))
            {
                RemoveLocked(key, partial);
                dropped++;
                return Result.Rejected;
            }

            if (partial.Bytes + length > _options.MaxReassemblyBytes)
            {
                if (!isNew)
                {
                    RemoveLocked(key, partial);
                    dropped++;
                }

                return Result.Rejected;
            }

            dropped += MakeRoomLocked(length, isNew ? null : key);
            if (isNew)
            {
                _partials.Add(key, partial);
            }

            partial.Add(offset, fragment.UserData, first, last);
            _bufferedBytes += length;
            if (!partial.IsComplete)
            {
                return Result.Pending;
            }

            RemoveLocked(key, partial);
            data = partial.Assemble();
            return Result.Complete;
        }
    }

    /// <summary>Drops partial datagrams older than FRAGMENT_TO; returns how many.</summary>
    public int Expire()
    {
        lock (_lock)
        {
            return ExpireLocked();
        }
    }

    private int ExpireLocked()
    {
        if (_partials.Count == 0)
        {
            return 0;
        }

        int expired = 0;
        foreach (var (key, partial) in _partials)
        {
            if (_time.GetElapsedTime(partial.Started) >= _options.FragmentTimeout)
            {
                RemoveLocked(key, partial);
                expired++;
            }
        }

        return expired;
    }

    /// <summary>
    /// Evicts the oldest partial datagrams, never <paramref name="keep"/>, until <paramref name="bytes"/> more bytes
    /// fit and, for a new partial (<paramref name="keep"/> null), one more partial fits.
    /// </summary>
    private int MakeRoomLocked(long bytes, Key? keep)
    {
        int evicted = 0;
        while ((keep is null && _partials.Count >= _options.MaxPartialDatagrams) || _bufferedBytes + bytes > _options.MaxReassemblyBytes)
        {
            var oldest = _partials.Where(p => p.Key != keep).MinBy(p => p.Value.Started);
            if (oldest.Value is null)
            {
                break;
            }

            RemoveLocked(oldest.Key, oldest.Value);
            evicted++;
        }

        return evicted;
    }

    private void RemoveLocked(Key key, Partial partial)
    {
        _partials.Remove(key);
        _bufferedBytes -= partial.Bytes;
    }

    private readonly record struct Key(ushort DatagramId, IPAddress Address, ushort Port);

    private sealed class Partial(UserDatagram first, long started)
    {
        private readonly DatagramMessageType _type = first.Header.Type;
        private readonly NetBiosName _source = first.SourceName;
        private readonly NetBiosName _destination = first.DestinationName;
        private bool _haveFirst;
        private int _total = -1;

        public long Started { get; } = started;

        /// <summary>The fragments, sorted by offset; they never overlap.</summary>
        public SortedList<int, ReadOnlyMemory<byte>> Pieces { get; } = [];

        public long Bytes { get; private set; }

        public bool IsComplete => _haveFirst && _total >= 0 && Bytes == _total;

        public bool IsDuplicate(int offset, ReadOnlySpan<byte> data) =>
            Pieces.TryGetValue(offset, out var held) && held.Span.SequenceEqual(data);

        public bool Matches(UserDatagram fragment) =>
            fragment.Header.Type == _type && fragment.SourceName == _source && fragment.DestinationName == _destination;

        /// <summary>False when [offset, end) overlaps a fragment already held, or contradicts the known end.</summary>
        public bool TryPlace(int offset, int end, bool first, bool last)
        {
            if ((first && _haveFirst) || (last && _total >= 0) || (_total >= 0 && end > _total))
            {
                return false;
            }

            if (last && Pieces.Count > 0)
            {
                var (lastOffset, lastData) = (Pieces.Keys[^1], Pieces.Values[^1]);
                if (lastOffset + lastData.Length > end)
                {
                    return false; // data already held lies beyond this end
                }
            }

            // The neighbours in offset order decide overlap.
            int index = LowerBound(offset);
            if (index < Pieces.Count && (Pieces.Keys[index] < end || Pieces.Keys[index] == offset))
            {
                return false;
            }

            return index == 0 || Pieces.Keys[index - 1] + Pieces.Values[index - 1].Length <= offset;
        }

        public void Add(int offset, ReadOnlyMemory<byte> data, bool first, bool last)
        {
            Pieces.Add(offset, data);
            Bytes += data.Length;
            _haveFirst |= first;
            if (last)
            {
                _total = offset + data.Length;
            }
        }

        public byte[] Assemble()
        {
            byte[] whole = new byte[_total];
            foreach (var (offset, data) in Pieces)
            {
                data.Span.CopyTo(whole.AsSpan(offset));
            }

            return whole;
        }

        /// <summary>Index of the first piece whose offset is at or after <paramref name="offset"/>.</summary>
        private int LowerBound(int offset)
        {
            var keys = Pieces.Keys;
            int low = 0;
            int high = keys.Count;
            while (low < high)
            {
                int mid = (low + high) >>> 1;
                if (keys[mid] < offset)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            return low;
        }
    }
}
