using System.Buffers.Binary;
using System.Net;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>What the parts of one node (registrar, resolver, refresher, responder) share: its address, broadcast
/// endpoint and options, and the small rules derived from them.</summary>
internal sealed class NodeSettings
{
    public NodeSettings(IPAddress address, IPAddress broadcastAddress, NameServiceOptions options)
    {
        Address = address;
        AddressValue = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        Options = options;
        BroadcastEndPoint = new IPEndPoint(broadcastAddress, options.RemotePort);
    }

    /// <summary>The node's address (the one put in NB records).</summary>
    public IPAddress Address { get; }

    /// <summary><see cref="Address"/> as a big-endian integer, for the allocation-free answer.</summary>
    public uint AddressValue { get; }

    /// <summary>Where broadcasts go: the adapter's broadcast address and the name service port.</summary>
    public IPEndPoint BroadcastEndPoint { get; }

    public NameServiceOptions Options { get; }

    public NodeType NodeType => Options.EffectiveNodeType;

    /// <summary>The TTL asked for in registrations and given in answers, in seconds.</summary>
    public uint RegistrationTtlSeconds => (uint)Options.RegistrationTtl.TotalSeconds;

    /// <summary>NB_FLAGS for one of our names: G bit and ONT.</summary>
    public NbFlags Flags(bool isGroup) => (isGroup ? NbFlags.Group : 0) | (NbFlags)((ushort)NodeType << 13);

    public NetBiosName ApplyScope(NetBiosName name) =>
        name.Scope.Length == 0 && !string.IsNullOrEmpty(Options.Scope) ? name.WithScope(Options.Scope) : name;

    /// <summary>A unicast exchange with one node or name server: UCAST_REQ_RETRY_COUNT × UCAST_REQ_RETRY_TIMEOUT (RFC 1002 §5.1.2).</summary>
    public NameServiceExchange Unicast(IPEndPoint destination, int capacity = 8) =>
        new(destination, destination.Address, Options.UnicastRetryCount, Options.UnicastRetryTimeout, capacity);

    /// <summary>A broadcast exchange: BCAST_REQ_RETRY_COUNT × BCAST_REQ_RETRY_TIMEOUT, answers from anyone (RFC 1002 §5.1.1).</summary>
    public NameServiceExchange Broadcast(IPEndPoint destination) =>
        new(destination, null, Options.BroadcastRetryCount, Options.BroadcastRetryTimeout, Options.MaxAnswers);

    public static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    /// <summary>Whether a local name is answered and defended: registered, and not a wildcard.</summary>
    public static bool Answers(LocalName entry) => entry.State == LocalNameState.Registered && !entry.Name.IsWildcard;

    /// <summary>The first address of the first answer's NB record, if there is one.</summary>
    public static IPAddress? RecordAddress(NameServicePacket response) =>
        response.Answers.Count > 0 && response.Answers[0].Data is NbRecordData { Entries.Count: > 0 } nb ? nb.Entries[0].Address : null;
}
