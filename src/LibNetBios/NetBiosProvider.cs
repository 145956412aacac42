using System.Net;
using NetBios.Daemon;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Transport;

namespace NetBios.Native;

/// <summary>
/// The one place libnetbios gets its <see cref="INetBios"/> from, on first use, as <c>NBT_DAEMON</c> says
/// (<see cref="NetBiosDaemon.ConnectOrEmbedAsync"/>; docs/IPC.md): the nbtd daemon's client when its socket answers (or
/// when it is required), else a <see cref="NetBiosInterface"/> over stations this process binds from the environment
/// (<see cref="NativeStationSettings"/>).
/// </summary>
/// <remarks>Thread safety: <see cref="Get"/> and <see cref="Shutdown"/> may be called from any thread.</remarks>
internal static class NetBiosProvider
{
    private static readonly Lock Gate = new();
    private static INetBios? _current;
    private static List<NetBiosStation> _stations = [];
    private static string? _lastError;

    /// <summary>The interface, binding the stations on first use; null when they cannot be bound (the reason goes to
    /// stderr once per distinct failure, and the next call tries again).</summary>
    public static INetBios? Get()
    {
        var current = Volatile.Read(ref _current);
        if (current is not null)
        {
            return current;
        }

        lock (Gate)
        {
            if (_current is not null)
            {
                return _current;
            }

            try
            {
                (_current, _stations) = CreateAsync().AsTask().GetAwaiter().GetResult();
                _lastError = null;
                return _current;
            }
            catch (Exception ex) when (ex is TransportBindException or NetBiosDaemonException or ArgumentException or InvalidOperationException or FormatException
                or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                if (_lastError != ex.Message)
                {
                    _lastError = ex.Message;
                    Console.Error.WriteLine($"libnetbios: cannot start NetBIOS: {ex.Message}");
                }

                return null;
            }
        }
    }

    /// <summary>Disposes the stations (their names are released) or closes the daemon connection (the daemon releases
    /// them); the next <see cref="Get"/> starts anew.</summary>
    public static void Shutdown()
    {
        List<NetBiosStation> stations;
        INetBios? current;
        lock (Gate)
        {
            stations = _stations;
            current = _current;
            _stations = [];
            _current = null;
        }

        if (current is NetBiosDaemonClient client)
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        foreach (var station in stations)
        {
            station.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Creates the interface: the daemon's client or embedded stations, as <c>NBT_DAEMON</c> says.</summary>
    private static async ValueTask<(INetBios NetBios, List<NetBiosStation> Stations)> CreateAsync()
    {
        var stations = new List<NetBiosStation>();
        var netbios = await NetBiosDaemon.ConnectOrEmbedAsync(async _ =>
        {
            var (embedded, bound) = await CreateEmbeddedAsync().ConfigureAwait(false);
            stations = bound;
            return embedded;
        }).ConfigureAwait(false);
        return (netbios, stations);
    }

    /// <summary>The embedded interface: stations bound from the environment.</summary>
    private static async ValueTask<(INetBios NetBios, List<NetBiosStation> Stations)> CreateEmbeddedAsync()
    {
        var settings = NativeStationSettings.FromEnvironment(Environment.GetEnvironmentVariable, out string? error)
            ?? throw new ArgumentException(error);
        var stations = new List<NetBiosStation>();
        try
        {
            foreach (var adapter in settings.Adapters)
            {
                stations.Add(await BindAsync(adapter, settings).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (var station in stations)
            {
                await station.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var lanas = stations.Select((s, i) => (Lana: (byte)i, Station: s)).ToDictionary(l => l.Lana, l => l.Station);
        return (new NetBiosInterface(lanas), stations);
    }

    /// <summary>A node station on one adapter: name, datagram and session ports from the settings, UDP bound to the
    /// adapter's address (NETBIOS_BIND=adapter) or to any address (shared with SO_REUSEADDR for NETBIOS_BIND=shared),
    /// sessions listened for on the adapter's address.</summary>
    private static async ValueTask<NetBiosStation> BindAsync(NetworkAdapter adapter, NativeStationSettings settings)
    {
        var options = new StationOptions { Role = StationRole.Node };
        options.NameService.RemotePort = settings.NamePort;
        options.NameService.NodeType = settings.NodeType;
        options.NameService.Scope = settings.Scope;
        options.NameService.Lmhosts = settings.LoadLmhosts();
        foreach (var server in settings.NameServers)
        {
            options.NameService.NameServers.Add(server);
        }

        options.Datagrams.RemotePort = settings.DatagramPort;
        options.Sessions.RemotePort = settings.SessionPort;
        options.Sessions.ListenEndPoint = new IPEndPoint(adapter.Address, settings.SessionPort);
        var bindAddress = settings.BindToAdapter ? adapter.Address : IPAddress.Any;
        UdpDatagramTransport? name = null, datagrams = null;
        try
        {
            name = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = bindAddress, Port = settings.NamePort, ReuseAddress = settings.SharePorts });
            datagrams = UdpDatagramTransport.Bind(new UdpTransportOptions { Address = bindAddress, Port = settings.DatagramPort, ReuseAddress = settings.SharePorts });
        }
        catch
        {
            if (name is not null)
            {
                await name.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var station = NetBiosStation.Create(adapter, name, datagrams, SocketNetworkHost.Default, options);
        try
        {
            await station.StartListeningAsync().ConfigureAwait(false);
            station.Start();
            return station;
        }
        catch
        {
            await station.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
