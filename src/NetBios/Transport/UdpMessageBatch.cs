using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetBios.Transport;

/// <summary>
/// Storage for one recvmmsg(2) or sendmmsg(2) call of <see cref="UdpDatagramTransport"/>: <see cref="Capacity"/> slots of
/// <see cref="SlotSize"/> bytes, each with its <c>sockaddr_in</c>, IP_PKTINFO control message, <c>iovec</c> and
/// <c>mmsghdr</c>, all in arrays on the pinned object heap, wired together once at construction (nothing is
/// allocated or pinned per call). docs/UDP-FAST-PATH.md "Batches".
/// </summary>
/// <remarks>Not thread-safe: a batch belongs to one thread (the receive thread) at a time.</remarks>
internal sealed unsafe class UdpMessageBatch
{
    private readonly byte[] _data;
    private readonly LinuxUdp.SocketAddressIn[] _addresses;
    private readonly LinuxUdp.PacketInfoControl[] _controls;
    private readonly LinuxUdp.IoVector[] _vectors;
    private readonly LinuxUdp.MultiMessageHeader[] _headers;
    private readonly DatagramReceiveResult[] _results;
    private readonly bool[] _received;
    private int _prepared; // slots whose headers a receive may have changed since they were last reset

    /// <summary>Creates the storage.</summary>
    /// <param name="capacity">Datagrams per call (1 to 1024, the kernel's UIO_MAXIOV).</param>
    /// <param name="slotSize">Bytes per datagram (1 to <see cref="UdpDatagramTransport.MaxDatagramLength"/>).</param>
    public UdpMessageBatch(int capacity, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slotSize, UdpDatagramTransport.MaxDatagramLength);
        Capacity = capacity;
        SlotSize = slotSize;
        _data = GC.AllocateArray<byte>(capacity * slotSize, pinned: true);
        _addresses = GC.AllocateArray<LinuxUdp.SocketAddressIn>(capacity, pinned: true);
        _controls = GC.AllocateArray<LinuxUdp.PacketInfoControl>(capacity, pinned: true);
        _vectors = GC.AllocateArray<LinuxUdp.IoVector>(capacity, pinned: true);
        _headers = GC.AllocateArray<LinuxUdp.MultiMessageHeader>(capacity, pinned: true);
        _results = new DatagramReceiveResult[capacity];
        _received = new bool[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _vectors[i].Base = Pointer(_data) + ((long)i * slotSize);
            _vectors[i].Length = (nuint)slotSize;
            ref var header = ref _headers[i].Header;
            header.Name = Pointer(_addresses) + i;
            header.Vectors = Pointer(_vectors) + i;
            header.VectorCount = 1;
        }

        _prepared = capacity;
        PrepareReceive();
    }

    /// <summary>Slots in the batch.</summary>
    public int Capacity { get; }

    /// <summary>Bytes per slot: the longest datagram a slot holds.</summary>
    public int SlotSize { get; }

    /// <summary>Slots in use: datagrams received by the last receive, or queued for the next send.</summary>
    public int Count { get; set; }

    /// <summary>The first <c>mmsghdr</c> (pinned: valid as long as this object lives).</summary>
    public LinuxUdp.MultiMessageHeader* Headers => Pointer(_headers);

    /// <summary>The whole slot <paramref name="index"/> (the receive buffer, or where a datagram to send is copied).</summary>
    public Memory<byte> Slot(int index) => _data.AsMemory(index * SlotSize, SlotSize);

    /// <summary>The received datagram in slot <paramref name="index"/> (valid until the next receive into this batch).</summary>
    public ReadOnlyMemory<byte> Datagram(int index) => _data.AsMemory(index * SlotSize, _results[index].Length);

    /// <summary>Sender, length and local address of the datagram in slot <paramref name="index"/>.</summary>
    public ref DatagramReceiveResult Result(int index) => ref _results[index];

    /// <summary>Whether slot <paramref name="index"/> (below <see cref="Count"/>) holds an IPv4 datagram from a sender (not
    /// the empty entries recvmmsg reports for a socket that was shut down).</summary>
    public bool HasDatagram(int index) => _received[index];

    /// <summary>Records the outcome of the last receive for slot <paramref name="index"/>.</summary>
    public void SetResult(int index, DatagramReceiveResult result, bool received)
    {
        _results[index] = result;
        _received[index] = received;
    }

    /// <summary>The <c>mmsghdr</c> of slot <paramref name="index"/>.</summary>
    public ref LinuxUdp.MultiMessageHeader Header(int index) => ref _headers[index];

    /// <summary>The <c>sockaddr_in</c> of slot <paramref name="index"/> (the sender, or the destination).</summary>
    public ref LinuxUdp.SocketAddressIn Address(int index) => ref _addresses[index];

    /// <summary>The IP_PKTINFO control message of slot <paramref name="index"/>.</summary>
    public ref LinuxUdp.PacketInfoControl Control(int index) => ref _controls[index];

    /// <summary>Resets the lengths the kernel overwrote in the last receive (address, control, flags), for the next
    /// recvmmsg into every slot.</summary>
    public void PrepareReceive()
    {
        for (int i = 0; i < _prepared; i++)
        {
            ref var header = ref _headers[i].Header;
            header.NameLength = (uint)sizeof(LinuxUdp.SocketAddressIn);
            header.Control = Pointer(_controls) + i;
            header.ControlLength = (nuint)sizeof(LinuxUdp.PacketInfoControl);
            header.Flags = 0;
            _vectors[i].Length = (nuint)SlotSize;
            _headers[i].Length = 0;
        }

        _prepared = 0;
    }

    /// <summary>Notes that a receive may have changed the headers of the first <paramref name="count"/> slots (the
    /// next <see cref="PrepareReceive"/> resets only those).</summary>
    public void MarkUsed(int count) => _prepared = Math.Max(_prepared, Math.Min(count, Capacity));

    /// <summary>Sets slot <paramref name="index"/> up to send <paramref name="length"/> bytes of its slot to the address
    /// in <see cref="Address"/>, from the IP_PKTINFO source in <see cref="Control"/> when <paramref name="withSource"/>.</summary>
    public void PrepareSend(int index, int length, bool withSource)
    {
        ref var header = ref _headers[index].Header;
        header.NameLength = (uint)sizeof(LinuxUdp.SocketAddressIn);
        header.Control = withSource ? Pointer(_controls) + index : null;
        header.ControlLength = withSource ? (nuint)LinuxUdp.PacketInfoControlSpace : 0;
        header.Flags = 0;
        _vectors[index].Length = (nuint)length;
        _headers[index].Length = 0;
        _prepared = Math.Max(_prepared, index + 1);
    }

    /// <summary>Sends slot <paramref name="index"/> again without its IP_PKTINFO source (the kernel refused it).</summary>
    public void ClearSource(int index)
    {
        ref var header = ref _headers[index].Header;
        header.Control = null;
        header.ControlLength = 0;
    }

    /// <summary>Whether slot <paramref name="index"/> is to be sent with an IP_PKTINFO source.</summary>
    public bool HasSource(int index) => _headers[index].Header.Control != null;

    private static T* Pointer<T>(T[] pinned)
        where T : unmanaged => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
