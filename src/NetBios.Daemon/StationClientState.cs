using NetBios.SessionService;
using NetBios.Station;

namespace NetBios.Daemon;

/// <summary>
/// What one client created through the station operations (docs/IPC.md "Station operations"): its sessions by handle;
/// the names it added are its entries in the daemon's <see cref="StationNameClaims"/>. Disposed with the connection (<see cref="DaemonClientConnection.GetState{T}"/>),
/// after its pending requests (waiting receives, listens, calls) were cancelled: its sessions are aborted (the peer
/// sees the session end) and its names deleted (released on the network).
/// </summary>
internal sealed class StationClientState : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, NbssSession> _sessions = [];
    private readonly NetBiosDaemonServer _server;
    private uint _lastHandle;
    private bool _disposed;

    /// <summary>Starts an empty state for a client.</summary>
    /// <param name="client">The client's connection.</param>
    public StationClientState(DaemonClientConnection client)
    {
        Client = client;
        _server = client.Server;
        Claims = client.Server.NameClaims;
    }

    /// <summary>The client's connection.</summary>
    public DaemonClientConnection Client { get; }

    /// <summary>The daemon's name claims.</summary>
    public StationNameClaims Claims { get; }

    /// <summary>Whether <paramref name="session"/> is one of this client's (by call or listen).</summary>
    /// <param name="session">A session of a station.</param>
    /// <returns>True when it is.</returns>
    public bool HoldsSession(NbssSession session)
    {
        lock (_lock)
        {
            return _sessions.ContainsValue(session);
        }
    }

    /// <summary>Gives a session a handle.</summary>
    /// <param name="session">The session (established).</param>
    /// <returns>Its handle, unique within the connection.</returns>
    public uint AddSession(NbssSession session)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                session.Abort(); // the connection ended meanwhile
                return 0;
            }

            uint handle = ++_lastHandle;
            _sessions[handle] = session;
            return handle;
        }
    }

    /// <summary>The session with that handle.</summary>
    /// <param name="handle">The handle.</param>
    /// <returns>The session or null.</returns>
    public NbssSession? FindSession(uint handle)
    {
        lock (_lock)
        {
            return _sessions.GetValueOrDefault(handle);
        }
    }

    /// <summary>Forgets a session (hung up).</summary>
    /// <param name="handle">The handle.</param>
    public void RemoveSession(uint handle)
    {
        lock (_lock)
        {
            _sessions.Remove(handle);
        }
    }

    /// <summary>Aborts the client's sessions, then deletes its names (each released on the network as the node type
    /// says: one broadcast for a B node, the name server's answer or its retries otherwise).</summary>
    /// <returns>When released.</returns>
    public async ValueTask DisposeAsync()
    {
        NbssSession[] sessions;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            sessions = [.. _sessions.Values];
            _sessions.Clear();
        }

        foreach (var session in sessions)
        {
            session.Abort();
        }

        // Its pending requests have ended: no registration is in progress, so every name it has claimed it holds.
        await Task.WhenAll(Claims.NamesOf(this).Select(ReleaseAsync)).ConfigureAwait(false);
    }

    private async Task ReleaseAsync((byte Lana, NetBiosName Name) entry)
    {
        try
        {
            if (_server.Stations.TryGetValue(entry.Lana, out var station))
            {
                await station.DeleteNameAsync(entry.Name).ConfigureAwait(false);
            }
        }
        catch (ObjectDisposedException)
        {
            // The station stopped first: its names went with it.
        }
        finally
        {
            Claims.Release(entry.Lana, entry.Name, this);
        }
    }
}
