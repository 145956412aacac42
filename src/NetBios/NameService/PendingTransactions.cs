using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// Outstanding name service requests of one node, keyed by NAME_TRN_ID. A response is handed to a request only
/// when its transaction ID, its source and its name all match (docs/RELIABILITY.md rule 5: unsolicited or spoofed
/// responses are ignored). Transaction IDs are random (CSPRNG) and unique among outstanding requests.
/// </summary>
internal sealed class PendingTransactions
{
    private readonly Dictionary<ushort, Transaction> _pending = [];
    private readonly Lock _lock = new();

    /// <summary>Opens a transaction with a fresh random ID.</summary>
    /// <param name="name">The name asked about; responses must be about it.</param>
    /// <param name="expectedSource">The only address whose responses are accepted, or null to accept any (broadcast).</param>
    /// <param name="capacity">Most responses buffered (the rest are dropped).</param>
    public Transaction Open(NetBiosName name, IPAddress? expectedSource, int capacity)
    {
        lock (_lock)
        {
            ushort id;
            do
            {
                id = (ushort)RandomNumberGenerator.GetInt32(1, 0x10000);
            }
            while (_pending.ContainsKey(id));

            var transaction = new Transaction(this, id, name, expectedSource, capacity);
            _pending.Add(id, transaction);
            return transaction;
        }
    }

    /// <summary>Whether a request with this transaction ID is outstanding (checked before a response is decoded, so that
    /// a flood of blind guesses costs a lookup, not a decode).</summary>
    public bool IsPending(ushort id)
    {
        lock (_lock)
        {
            return _pending.ContainsKey(id);
        }
    }

    /// <summary>Offers a received response; returns false when no outstanding request matches it.</summary>
    public bool TryDeliver(NameServicePacket response, IPEndPoint source)
    {
        Transaction? transaction;
        lock (_lock)
        {
            if (!_pending.TryGetValue(response.Header.TransactionId, out transaction))
            {
                return false;
            }
        }

        return transaction.TryAccept(response, source);
    }

    private void Close(Transaction transaction)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(transaction.Id, out var current) && ReferenceEquals(current, transaction))
            {
                _pending.Remove(transaction.Id);
            }
        }
    }

    /// <summary>One outstanding request; dispose it to stop accepting responses.</summary>
    internal sealed class Transaction : IDisposable
    {
        private readonly PendingTransactions _owner;
        private readonly Channel<(NameServicePacket Packet, IPEndPoint Source)> _responses;

        public Transaction(PendingTransactions owner, ushort id, NetBiosName name, IPAddress? expectedSource, int capacity)
        {
            _owner = owner;
            Id = id;
            Name = name;
            ExpectedSource = expectedSource;
            _responses = Channel.CreateBounded<(NameServicePacket, IPEndPoint)>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
            });
        }

        public ushort Id { get; }

        public NetBiosName Name { get; }

        /// <summary>The address responses must come from; may be changed (redirect, end-node challenge).</summary>
        public IPAddress? ExpectedSource { get; set; }

        /// <summary>Waits for the next matching response until <paramref name="cancellationToken"/> fires.</summary>
        /// <returns>The response, or null when the wait was cancelled (timeout).</returns>
        public async ValueTask<(NameServicePacket Packet, IPEndPoint Source)?> ReceiveAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _responses.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public void Dispose()
        {
            _owner.Close(this);
            _responses.Writer.TryComplete();
        }

        internal bool TryAccept(NameServicePacket response, IPEndPoint source)
        {
            if (ExpectedSource is { } expected && !expected.Equals(source.Address))
            {
                return false;
            }

            if (!ResponseNames(response).Any(n => n == Name || (Name.IsWildcard && n.BytesEqual(Name))))
            {
                return false;
            }

            return _responses.Writer.TryWrite((response, source));
        }

        private static IEnumerable<NetBiosName> ResponseNames(NameServicePacket response) =>
            response.Answers.Concat(response.Authority).Select(r => r.Name).Concat(response.Questions.Select(q => q.Name));
    }
}
