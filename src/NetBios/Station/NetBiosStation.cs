using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.Transport;

namespace NetBios.Station;

/// <summary>
/// One NetBIOS station on one adapter (an NCB LANA): its name service and datagram service, sharing one name table,
/// started and stopped together. Disposing it stops the datagram service, then releases the names.
/// </summary>
public sealed class NetBiosStation : IAsyncDisposable
{
    private int _disposed;

    /// <summary>Creates a station from services built by the caller (they are disposed with the station).</summary>
    /// <param name="names">The name service.</param>
    /// <param name="datagrams">The datagram service built over <paramref name="names"/>.</param>
    public NetBiosStation(NameServiceNode names, DatagramServiceNode datagrams)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(datagrams);
        Names = names;
        Datagrams = datagrams;
    }

    /// <summary>The name service: add, delete and resolve names, node status.</summary>
    public NameServiceNode Names { get; }

    /// <summary>The datagram service: send and receive datagrams.</summary>
    public DatagramServiceNode Datagrams { get; }

    /// <summary>The station's IPv4 address.</summary>
    public IPAddress Address => Names.Address;

    /// <summary>Creates a station over two bound transports (name service and datagram service ports).</summary>
    /// <param name="nameTransport">Bound to the name service port (137).</param>
    /// <param name="datagramTransport">Bound to the datagram service port (138).</param>
    /// <param name="address">The adapter's IPv4 address.</param>
    /// <param name="broadcastAddress">The adapter's broadcast address.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the services log; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static NetBiosStation Create(
        IDatagramTransport nameTransport,
        IDatagramTransport datagramTransport,
        IPAddress address,
        IPAddress broadcastAddress,
        StationOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        options ??= new StationOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var names = new NameServiceNode(nameTransport, address, broadcastAddress, options.NameService, timeProvider,
            loggerFactory.CreateLogger<NameServiceNode>());
        var datagrams = new DatagramServiceNode(datagramTransport, names, options.Datagrams, timeProvider,
            loggerFactory.CreateLogger<DatagramServiceNode>());
        return new NetBiosStation(names, datagrams);
    }

    /// <summary>Starts every service's receive loop. Calling it twice has no further effect.</summary>
    /// <exception cref="ObjectDisposedException">The station was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Names.Start();
        Datagrams.Start();
    }

    /// <summary>Stops the datagram service, then releases every name and stops the name service.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Datagrams.DisposeAsync().ConfigureAwait(false);
        await Names.DisposeAsync().ConfigureAwait(false);
    }
}
