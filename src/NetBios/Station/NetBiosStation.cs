using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetBios.DatagramService;
using NetBios.NameService;
using NetBios.Transport;
using NetBios.SessionService;

namespace NetBios.Station;

/// <summary>
/// One NetBIOS station on one adapter (an NCB LANA): its name, datagram and session services, sharing one name table,
/// started and stopped together. Disposing it hangs up its sessions, stops the datagram service, then releases the
/// names.
/// </summary>
public sealed class NetBiosStation : IAsyncDisposable
{
    private int _disposed;

    /// <summary>Creates a station from services built by the caller (they are disposed with the station).</summary>
    /// <param name="names">The name service.</param>
    /// <param name="datagrams">The datagram service built over <paramref name="names"/>.</param>
    /// <param name="sessions">The session service, whose local names and resolver are <paramref name="names"/>'.</param>
    public NetBiosStation(NameServiceNode names, DatagramServiceNode datagrams, SessionServiceNode sessions)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(datagrams);
        ArgumentNullException.ThrowIfNull(sessions);
        Names = names;
        Datagrams = datagrams;
        Sessions = sessions;
    }

    /// <summary>The name service: add, delete and resolve names, node status.</summary>
    public NameServiceNode Names { get; }

    /// <summary>The datagram service: send and receive datagrams.</summary>
    public DatagramServiceNode Datagrams { get; }

    /// <summary>The session service: call, listen, and the sessions.</summary>
    public SessionServiceNode Sessions { get; }

    /// <summary>The station's IPv4 address.</summary>
    public IPAddress Address => Names.Address;

    /// <summary>Creates a station over two bound datagram transports (name and datagram service ports) and a stream
    /// network for sessions.</summary>
    /// <param name="nameTransport">Bound to the name service port (137).</param>
    /// <param name="datagramTransport">Bound to the datagram service port (138).</param>
    /// <param name="streams">Where session connections come from (TCP, or an in-memory host).</param>
    /// <param name="address">The adapter's IPv4 address.</param>
    /// <param name="broadcastAddress">The adapter's broadcast address.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the services log; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static NetBiosStation Create(
        IDatagramTransport nameTransport,
        IDatagramTransport datagramTransport,
        IStreamNetwork streams,
        IPAddress address,
        IPAddress broadcastAddress,
        StationOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(streams);
        options ??= new StationOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var names = new NameServiceNode(nameTransport, address, broadcastAddress, options.NameService, timeProvider,
            loggerFactory.CreateLogger<NameServiceNode>());
        var datagrams = new DatagramServiceNode(datagramTransport, names, options.Datagrams, timeProvider,
            loggerFactory.CreateLogger<DatagramServiceNode>());
        var sessionOptions = options.Sessions.ListenEndPoint.Address.Equals(IPAddress.Any)
            ? options.Sessions.WithListenEndPoint(new IPEndPoint(address, options.Sessions.ListenEndPoint.Port))
            : options.Sessions;
        var sessions = new SessionServiceNode(streams, sessionOptions,
            name => names.FindRegistered(name) is not null,
            async (name, cancellationToken) =>
            {
                var result = await names.QueryAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return result.Addresses;
            },
            timeProvider, loggerFactory.CreateLogger<SessionServiceNode>());
        return new NetBiosStation(names, datagrams, sessions);
    }

    /// <summary>Starts the name and datagram services' receive loops. Calling it twice has no further effect.</summary>
    /// <exception cref="ObjectDisposedException">The station was disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Names.Start();
        Datagrams.Start();
    }

    /// <summary>Starts the session listener (calls work without it).</summary>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <exception cref="TransportBindException">The session port is in use or needs privileges.</exception>
    public async ValueTask StartListeningAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await Sessions.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hangs up the sessions, stops the datagram service, then releases every name and stops the name service.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Sessions.DisposeAsync().ConfigureAwait(false);
        await Datagrams.DisposeAsync().ConfigureAwait(false);
        await Names.DisposeAsync().ConfigureAwait(false);
    }
}
