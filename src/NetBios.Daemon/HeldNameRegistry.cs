using NetBios.Station;

namespace NetBios.Daemon;

/// <summary>
/// The names the daemon holds itself (HOLD NAME), daemon-wide and not tied to any client connection: they stay
/// registered and defended by their station after the client that asked has gone, until RELEASE HELD NAME or the daemon
/// stops (<see cref="ReleaseAllAsync"/>). A name is entered only once its registration succeeded.
/// </summary>
/// <remarks>Thread-safe. At most one hold or release of a given name runs at a time (a second one is Busy).</remarks>
internal sealed class HeldNameRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(byte Lana, NetBiosName Name), HeldName> _held = [];
    private readonly HashSet<(byte Lana, NetBiosName Name)> _changing = [];

    /// <summary>The held names now.</summary>
    public IReadOnlyList<HeldName> Snapshot()
    {
        lock (_lock)
        {
            return [.. _held.Values];
        }
    }

    /// <summary>The held name, if held.</summary>
    public HeldName? Find(byte lana, NetBiosName name)
    {
        lock (_lock)
        {
            return _held.GetValueOrDefault((lana, name));
        }
    }

    /// <summary>Marks a name as being held or released now; false when another hold or release of it runs.</summary>
    public bool TryBeginChange(byte lana, NetBiosName name)
    {
        lock (_lock)
        {
            return _changing.Add((lana, name));
        }
    }

    /// <summary>Ends <see cref="TryBeginChange"/>.</summary>
    public void EndChange(byte lana, NetBiosName name)
    {
        lock (_lock)
        {
            _changing.Remove((lana, name));
        }
    }

    /// <summary>Records a name whose registration succeeded.</summary>
    public void Add(HeldName held)
    {
        lock (_lock)
        {
            _held[(held.Lana, held.Name)] = held;
        }
    }

    /// <summary>Forgets a held name.</summary>
    public bool Remove(byte lana, NetBiosName name)
    {
        lock (_lock)
        {
            return _held.Remove((lana, name));
        }
    }

    /// <summary>Daemon stop: releases every held name on its station (a release on the network, as DELETE NAME), each
    /// bounded by <paramref name="cancellationToken"/>; a failure is logged and the others go on.</summary>
    /// <param name="stations">The daemon's stations.</param>
    /// <param name="onFailure">Logs a failed release.</param>
    /// <param name="cancellationToken">The stop deadline.</param>
    /// <returns>When every release has ended.</returns>
    public async Task ReleaseAllAsync(IReadOnlyDictionary<byte, NetBiosStation> stations, Action<HeldName, Exception> onFailure,
        CancellationToken cancellationToken)
    {
        HeldName[] held;
        lock (_lock)
        {
            held = [.. _held.Values];
            _held.Clear();
        }

        await Task.WhenAll(held.Select(async h =>
        {
            if (!stations.TryGetValue(h.Lana, out var station))
            {
                return;
            }

            try
            {
                await station.DeleteNameAsync(h.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException or System.Net.Sockets.SocketException)
            {
                onFailure(h, ex);
            }
        })).ConfigureAwait(false);
    }
}
