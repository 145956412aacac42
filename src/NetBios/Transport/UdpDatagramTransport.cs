using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NetBios.Transport;

/// <summary>
/// An <see cref="IDatagramTransport"/> over one IPv4 UDP socket. Create it with <see cref="Bind"/>.
/// </summary>
/// <remarks>
/// <para>
/// Hardened for a receive loop that must never die (docs/RELIABILITY.md §3.2): on Windows the socket is switched to ignore
/// ICMP port-unreachable reports (<c>SIO_UDP_CONNRESET</c> off), which otherwise make the next receive throw
/// <see cref="SocketError.ConnectionReset"/>; on every OS, per-packet socket errors are skipped inside
/// <see cref="ReceiveFromAsync"/>.
/// </para>
/// <para>
/// Truncation: a datagram longer than the receive buffer is truncated to the buffer on Linux and macOS. Windows
/// reports such a datagram as an error instead, and this transport then skips it; pass a buffer of 65507 bytes to
/// receive every datagram whole on every OS.
/// </para>
/// <para>
/// On 64-bit Linux (docs/UDP-FAST-PATH.md): every datagram is sent with one non-blocking sendmsg(2) on
/// the calling thread (the task completes synchronously; a full send buffer drops the datagram, as the wire would), with
/// an IP_PKTINFO source address when one is given; IP_PKTINFO is on for receiving, and a receive thread
/// (<see cref="DatagramReceiveLoop.StartThread"/>) reads with blocking recvmsg(2), learning the local address each
/// datagram was sent to (<see cref="DatagramReceiveResult.LocalAddress"/>), several datagrams per recvmmsg(2) when
/// several are queued; the answers that thread sends while handling them are queued and leave with one sendmmsg(2)
/// (each with its own destination and source). Neither allocates per datagram.
/// </para>
/// <para>Thread safety: all members are safe to call concurrently.</para>
/// </remarks>
public sealed class UdpDatagramTransport : IDatagramTransport, IReceiveThreadTransport
{
    /// <summary>The largest payload of an IPv4 UDP datagram: 65535 − 20 (IP header) − 8 (UDP header).</summary>
    public const int MaxDatagramLength = 65507;

    // Windows: WSAIoctl SIO_UDP_CONNRESET = _WSAIOW(IOC_VENDOR, 12).
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    /// <summary>How long a blocking receive waits before it returns to let its thread check for stopping (SO_RCVTIMEO;
    /// a safety net: stopping sends a wake-up datagram and disposal shuts the socket down).</summary>
    private const int ReceiveThreadTimeoutMilliseconds = 500;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly bool _native;

    // The last local address (IP_PKTINFO) seen and its IPAddress, so that answers to one address allocate nothing.
    private LocalAddressCache? _lastLocal;
    private NativeSender? _lastNativeSender;
    private bool _receiveTimeoutSet; // only the receive thread touches it

    // Send batching of the receive thread (BeginSendBatch .. EndSendBatch): sends made on that thread are queued in
    // _sendBatch and leave with one sendmmsg; sends from any other thread go at once. 0: no batch open.
    private int _sendBatchThread;
    private UdpMessageBatch? _sendBatch;

    // One SocketAddress reused by receives (taken with Interlocked.Exchange so concurrent receives never share one),
    // and the endpoint built from the last sender so that repeated datagrams from one peer do not allocate it again.
    private SocketAddress? _receiveAddress;
    private SenderCache? _lastSender;
    private int _disposed;

    private UdpDatagramTransport(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _native = LinuxUdp.IsSupported;
    }

    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The underlying socket, for tests that check its options.</summary>
    internal Socket Socket => _socket;

    /// <summary>Creates a UDP socket and binds it as <paramref name="options"/> say.</summary>
    /// <param name="options">Address, port and socket options; <see langword="null"/> for the defaults (0.0.0.0:137).</param>
    /// <param name="logger">Receives debug messages about swallowed per-peer errors; defaults to no logging.</param>
    /// <returns>The bound transport. Dispose it to close the socket.</returns>
    /// <exception cref="ArgumentException">An option is invalid (for example an IPv6 address).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port or the buffer size is out of range.</exception>
    /// <exception cref="TransportBindException">The port is in use, needs privileges, or the address is not local.</exception>
    public static UdpDatagramTransport Bind(UdpTransportOptions? options = null, ILogger? logger = null)
    {
        options ??= new UdpTransportOptions();
        options.Validate();
        logger ??= NullLogger.Instance;

        var endpoint = new IPEndPoint(options.Address, options.Port);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
            }

            socket.EnableBroadcast = options.EnableBroadcast;
            if (options.ReuseAddress)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            if (options.ReceiveBufferSize is int size)
            {
                socket.ReceiveBufferSize = size;
            }

            if (LinuxUdp.IsSupported)
            {
                // IP_PKTINFO: each datagram says which local address it was sent to, so the answer can leave from it.
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            }

            socket.Bind(endpoint);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw TransportBindException.FromSocketException("UDP", endpoint, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var transport = new UdpDatagramTransport(socket, logger);
        TransportLog.UdpBound(logger, transport.LocalEndPoint);
        return transport;
    }

    /// <inheritdoc/>
    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken = default) =>
        SendToAsync(datagram, destination, null, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>On 64-bit Linux the source is set with IP_PKTINFO (<c>ipi_spec_dst</c>); elsewhere it is ignored.</remarks>
    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, IPAddress? source, CancellationToken cancellationToken = default)
    {
        IPv4.ValidateDestination(destination);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(datagram.Length, MaxDatagramLength, nameof(datagram));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_native)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_sendBatchThread == Environment.CurrentManagedThreadId)
            {
                QueueSend(datagram.Span, destination, source);
            }
            else
            {
                SendNative(datagram.Span, destination, source);
            }

            return ValueTask.CompletedTask;
        }

        return SendWithSocketAsync(datagram, destination, cancellationToken);
    }

    private async ValueTask SendWithSocketAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
    {

        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (SocketErrors.IsPerPeer(ex.SocketErrorCode) && Volatile.Read(ref _disposed) == 0)
        {
            TransportLog.SendErrorSwallowed(_logger, LocalEndPoint, destination, ex.SocketErrorCode);
        }
        catch (SocketException ex) when (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(GetType().FullName, ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        SocketAddress address = Interlocked.Exchange(ref _receiveAddress, null) ?? new SocketAddress(AddressFamily.InterNetwork);
        try
        {
            while (true)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException ex) when (Volatile.Read(ref _disposed) != 0 || ex.SocketErrorCode == SocketError.OperationAborted)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new ObjectDisposedException(GetType().FullName, ex);
                }
                catch (SocketException ex) when (SocketErrors.IsPerPeer(ex.SocketErrorCode))
                {
                    TransportLog.ReceiveErrorSkipped(_logger, LocalEndPoint, ex.SocketErrorCode);
                    continue;
                }

                return new DatagramReceiveResult(length, GetSender(address));
            }
        }
        finally
        {
            Volatile.Write(ref _receiveAddress, address);
        }
    }

    /// <summary>Closes the socket. Pending receives end with <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (_native)
            {
                // Wakes a receive thread blocked in recvmsg (close alone does not on Linux): it then sees the socket
                // disposed. On an unbound-peer UDP socket shutdown reports ENOTCONN but still takes effect.
                _ = LinuxUdp.Shutdown(_socket.SafeHandle, LinuxUdp.ShutdownBoth);
            }

            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private IPEndPoint GetSender(SocketAddress address)
    {
        SenderCache? cached = Volatile.Read(ref _lastSender);
        if (cached is not null && cached.Address.Equals(address))
        {
            return cached.EndPoint;
        }

        var endpoint = (IPEndPoint)LocalEndPoint.Create(address);
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        Volatile.Write(ref _lastSender, new SenderCache(copy, endpoint));
        return endpoint;
    }

    /// <inheritdoc/>
    bool IReceiveThreadTransport.SupportsReceiveThread => _native;

    /// <inheritdoc/>
    BlockingReceiveStatus IReceiveThreadTransport.ReceiveBlocking(UdpMessageBatch batch) => ReceiveBlocking(batch);

    /// <inheritdoc/>
    void IReceiveThreadTransport.BeginSendBatch() => BeginSendBatch();

    /// <inheritdoc/>
    void IReceiveThreadTransport.FlushSendBatch() => FlushSendBatch();

    /// <inheritdoc/>
    void IReceiveThreadTransport.EndSendBatch() => EndSendBatch();

    /// <summary>From now on, sends made on the calling thread are queued and leave together with
    /// <see cref="FlushSendBatch"/> or <see cref="EndSendBatch"/> (one sendmmsg per <see cref="SendBatchCapacity"/>);
    /// sends from other threads are not affected.</summary>
    internal void BeginSendBatch()
    {
        if (!_native)
        {
            return;
        }

        _sendBatch ??= new UdpMessageBatch(SendBatchCapacity, SendBatchSlotSize);
        _sendBatchThread = Environment.CurrentManagedThreadId;
    }

    /// <summary>Sends what the calling thread's batch holds; the batch stays open.</summary>
    internal void FlushSendBatch()
    {
        if (_sendBatch is { Count: > 0 } batch && _sendBatchThread == Environment.CurrentManagedThreadId)
        {
            SendQueued(batch);
        }
    }

    /// <summary>Sends what the batch holds and closes it: sends go at once again.</summary>
    internal void EndSendBatch()
    {
        if (_sendBatchThread != Environment.CurrentManagedThreadId)
        {
            return;
        }

        try
        {
            FlushSendBatch();
        }
        finally
        {
            _sendBatchThread = 0;
        }
    }

    /// <summary>Datagrams per sendmmsg of a send batch.</summary>
    internal const int SendBatchCapacity = 32;

    /// <summary>Longest datagram a send batch holds (a longer one flushes the batch and goes alone): name service
    /// packets are at most 576 bytes.</summary>
    internal const int SendBatchSlotSize = 1024;

    private unsafe void QueueSend(ReadOnlySpan<byte> datagram, IPEndPoint destination, IPAddress? source)
    {
        var batch = _sendBatch!;
        if (datagram.Length > batch.SlotSize)
        {
            FlushSendBatch(); // keeps the order of this thread's datagrams
            SendNative(datagram, destination, source);
            return;
        }

        if (batch.Count == batch.Capacity)
        {
            SendQueued(batch);
        }

        int index = batch.Count;
        datagram.CopyTo(batch.Slot(index).Span);
        ref var to = ref batch.Address(index);
        to = new LinuxUdp.SocketAddressIn
        {
            Family = LinuxUdp.AfInet,
            PortNetworkOrder = BinaryPrimitives.ReverseEndianness((ushort)destination.Port),
        };
        fixed (uint* address = &to.AddressNetworkOrder)
        {
            _ = destination.Address.TryWriteBytes(new Span<byte>(address, 4), out _);
        }

        ref var control = ref batch.Control(index);
        control = default;
        bool withSource = false;
        if (source is { AddressFamily: AddressFamily.InterNetwork })
        {
            fixed (uint* specific = &control.SpecificDestinationNetworkOrder)
            {
                withSource = source.TryWriteBytes(new Span<byte>(specific, 4), out _);
            }
        }

        control.Length = LinuxUdp.PacketInfoControlLength;
        control.Level = LinuxUdp.SolIp;
        control.Type = LinuxUdp.IpPacketInfo;
        batch.PrepareSend(index, datagram.Length, withSource);
        batch.Count = index + 1;
    }

    /// <summary>Sends the queued datagrams with sendmmsg: a partial send continues with the rest; a datagram the kernel
    /// cannot take (EAGAIN, ENOBUFS: the send buffer is full) is lost, as on the wire, and the rest still go; a refused
    /// source is dropped for that datagram only, as in <see cref="SendNative"/>.</summary>
    private unsafe void SendQueued(UdpMessageBatch batch)
    {
        int count = batch.Count;
        int next = 0;
        SocketException? failure = null;
        try
        {
            // Bounded: every round sends at least one datagram, drops one, or clears the source of one (once each);
            // EINTR (a signal) is the only repeat.
            while (next < count)
            {
                int sent;
                try
                {
                    sent = LinuxUdp.SendMessages(_socket.SafeHandle, batch.Headers + next, (uint)(count - next), LinuxUdp.DontWait | LinuxUdp.NoSignal);
                }
                catch (ObjectDisposedException)
                {
                    return; // disposed: what is queued is lost, as if sent to a closed socket
                }

                if (sent > 0)
                {
                    next += sent;
                    continue;
                }

                int errno = sent < 0 ? Marshal.GetLastPInvokeError() : LinuxUdp.EAgain;
                if (Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                if (errno == LinuxUdp.EIntr)
                {
                    continue;
                }

                if (batch.HasSource(next) && errno is not (LinuxUdp.EAgain or LinuxUdp.ENoBufs))
                {
                    batch.ClearSource(next); // the source is not ours (any more): this one goes the way routing chooses
                    continue;
                }

                var error = LinuxUdp.ToSocketError(errno);
                ref var to = ref batch.Address(next);
                var destination = new IPEndPoint(new IPAddress(to.AddressNetworkOrder), BinaryPrimitives.ReverseEndianness(to.PortNetworkOrder));
                if (SocketErrors.IsPerPeer(error))
                {
                    TransportLog.SendErrorSwallowed(_logger, LocalEndPoint, destination, error);
                }
                else
                {
                    failure ??= new SocketException((int)error);
                }

                next++;
            }
        }
        finally
        {
            batch.Count = 0;
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>One blocking recvmmsg with MSG_WAITFORONE and IP_PKTINFO: waits for the first datagram, then takes those
    /// already queued, up to <see cref="UdpMessageBatch.Capacity"/> (see <see cref="IReceiveThreadTransport.ReceiveBlocking"/>).</summary>
    internal unsafe BlockingReceiveStatus ReceiveBlocking(UdpMessageBatch batch)
    {
        batch.Count = 0;
        if (!_native)
        {
            throw new PlatformNotSupportedException("Blocking receives with IP_PKTINFO need 64-bit Linux.");
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            return BlockingReceiveStatus.Closed;
        }

        if (!_receiveTimeoutSet)
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveTimeout, ReceiveThreadTimeoutMilliseconds);
            _receiveTimeoutSet = true;
        }

        batch.PrepareReceive();
        int received;
        try
        {
            received = LinuxUdp.ReceiveMessages(_socket.SafeHandle, batch.Headers, (uint)batch.Capacity, LinuxUdp.WaitForOne, null);
        }
        catch (ObjectDisposedException)
        {
            return BlockingReceiveStatus.Closed;
        }

        if (received < 0)
        {
            return ReceiveFailed(Marshal.GetLastPInvokeError());
        }

        received = Math.Min(received, batch.Capacity);
        batch.MarkUsed(received);
        bool any = false;
        for (int i = 0; i < received; i++)
        {
            ref var message = ref batch.Header(i);
            ref var from = ref batch.Address(i);
            if (message.Header.NameLength < 8 || from.Family != LinuxUdp.AfInet)
            {
                // No sender: the socket was shut down (recvmmsg reports empty entries then), or not an IPv4 datagram.
                batch.SetResult(i, default, received: false);
                continue;
            }

            IPAddress? local = null;
            ref var control = ref batch.Control(i);
            if (message.Header.ControlLength >= LinuxUdp.PacketInfoControlLength && control.Level == LinuxUdp.SolIp && control.Type == LinuxUdp.IpPacketInfo)
            {
                local = GetLocalAddress(control.SpecificDestinationNetworkOrder);
            }

            int length = (int)Math.Min(message.Length, (uint)batch.SlotSize);
            batch.SetResult(i, new DatagramReceiveResult(length, GetNativeSender(from.AddressNetworkOrder, from.PortNetworkOrder), local), received: true);
            any = true;
        }

        batch.Count = received;
        if (!any)
        {
            batch.Count = 0;
            return Volatile.Read(ref _disposed) != 0 ? BlockingReceiveStatus.Closed : BlockingReceiveStatus.Woken;
        }

        return BlockingReceiveStatus.Datagram;
    }

    /// <summary>What a failed recvmsg/recvmmsg means for the receive thread (errno <paramref name="errno"/>).</summary>
    private BlockingReceiveStatus ReceiveFailed(int errno)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return BlockingReceiveStatus.Closed;
        }

        if (errno == LinuxUdp.EAgain)
        {
            // The receive timeout, or a socket that .NET has made non-blocking (an asynchronous operation ran on
            // it): wait for readability, bounded, then let the caller check for stopping.
            WaitReadable(ReceiveThreadTimeoutMilliseconds);
            return BlockingReceiveStatus.Woken;
        }

        if (errno == LinuxUdp.EIntr)
        {
            return BlockingReceiveStatus.Woken;
        }

        var error = LinuxUdp.ToSocketError(errno);
        if (SocketErrors.IsPerPeer(error))
        {
            TransportLog.ReceiveErrorSkipped(_logger, LocalEndPoint, error);
            return BlockingReceiveStatus.Woken;
        }

        throw new SocketException((int)error);
    }

    /// <inheritdoc/>
    void IReceiveThreadTransport.WakeReceiver()
    {
        if (!_native || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // An empty datagram to ourselves: the blocked recvmsg returns, the thread sees that it is stopping.
        IPAddress self = LocalEndPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : LocalEndPoint.Address;
        try
        {
            SendNative([], new IPEndPoint(self, LocalEndPoint.Port), null);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The receive timeout wakes it instead.
        }
    }

    /// <summary>poll(2) for readability, at most <paramref name="timeoutMilliseconds"/>.</summary>
    private unsafe void WaitReadable(int timeoutMilliseconds)
    {
        bool added = false;
        var handle = _socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            var descriptor = new LinuxUdp.PollDescriptor { Descriptor = (int)handle.DangerousGetHandle(), Events = LinuxUdp.PollIn };
            _ = LinuxUdp.Poll(&descriptor, 1, timeoutMilliseconds);
        }
        catch (ObjectDisposedException)
        {
            // Disposed: the caller sees it on its next call.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>One non-blocking sendmsg, with an IP_PKTINFO source when <paramref name="source"/> is an IPv4 address.</summary>
    private unsafe void SendNative(ReadOnlySpan<byte> datagram, IPEndPoint destination, IPAddress? source)
    {
        var to = new LinuxUdp.SocketAddressIn
        {
            Family = LinuxUdp.AfInet,
            PortNetworkOrder = BinaryPrimitives.ReverseEndianness((ushort)destination.Port),
        };
        _ = destination.Address.TryWriteBytes(new Span<byte>(&to.AddressNetworkOrder, 4), out _);
        LinuxUdp.PacketInfoControl control = default;
        bool withSource = source is { AddressFamily: AddressFamily.InterNetwork }
            && source.TryWriteBytes(new Span<byte>(&control.SpecificDestinationNetworkOrder, 4), out _);
        control.Length = LinuxUdp.PacketInfoControlLength;
        control.Level = LinuxUdp.SolIp;
        control.Type = LinuxUdp.IpPacketInfo;

        while (true)
        {
            nint sent;
            fixed (byte* data = datagram)
            {
                var vector = new LinuxUdp.IoVector { Base = data, Length = (nuint)datagram.Length };
                var message = new LinuxUdp.MessageHeader
                {
                    Name = &to,
                    NameLength = (uint)sizeof(LinuxUdp.SocketAddressIn),
                    Vectors = &vector,
                    VectorCount = 1,
                    Control = withSource ? &control : null,
                    ControlLength = withSource ? (nuint)LinuxUdp.PacketInfoControlSpace : 0,
                };
                try
                {
                    sent = LinuxUdp.SendMessage(_socket.SafeHandle, &message, LinuxUdp.DontWait | LinuxUdp.NoSignal);
                }
                catch (ObjectDisposedException)
                {
                    throw new ObjectDisposedException(GetType().FullName);
                }
            }

            if (sent >= 0)
            {
                return;
            }

            int errno = Marshal.GetLastPInvokeError();
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (errno == LinuxUdp.EIntr)
            {
                continue;
            }

            if (withSource && errno is not (LinuxUdp.EAgain or LinuxUdp.ENoBufs))
            {
                // The source is not (or no longer) one of our addresses, or has no route to the destination (the
                // kernel says EINVAL or ENETUNREACH): try once more the way routing chooses.
                withSource = false;
                continue;
            }

            var error = LinuxUdp.ToSocketError(errno);
            if (SocketErrors.IsPerPeer(error))
            {
                TransportLog.SendErrorSwallowed(_logger, LocalEndPoint, destination, error);
                return;
            }

            throw new SocketException((int)error);
        }
    }

    private IPAddress GetLocalAddress(uint networkOrder)
    {
        LocalAddressCache? cached = Volatile.Read(ref _lastLocal);
        if (cached is not null && cached.NetworkOrder == networkOrder)
        {
            return cached.Address;
        }

        var address = new IPAddress(networkOrder);
        Volatile.Write(ref _lastLocal, new LocalAddressCache(networkOrder, address));
        return address;
    }

    private IPEndPoint GetNativeSender(uint addressNetworkOrder, ushort portNetworkOrder)
    {
        NativeSender? cached = Volatile.Read(ref _lastNativeSender);
        if (cached is not null && cached.AddressNetworkOrder == addressNetworkOrder && cached.PortNetworkOrder == portNetworkOrder)
        {
            return cached.EndPoint;
        }

        var endpoint = new IPEndPoint(new IPAddress(addressNetworkOrder), BinaryPrimitives.ReverseEndianness(portNetworkOrder));
        Volatile.Write(ref _lastNativeSender, new NativeSender(addressNetworkOrder, portNetworkOrder, endpoint));
        return endpoint;
    }

    private sealed record SenderCache(SocketAddress Address, IPEndPoint EndPoint);

    private sealed record NativeSender(uint AddressNetworkOrder, ushort PortNetworkOrder, IPEndPoint EndPoint);

    private sealed record LocalAddressCache(uint NetworkOrder, IPAddress Address);
}
