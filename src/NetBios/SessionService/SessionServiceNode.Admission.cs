using System.Net;

namespace NetBios.SessionService;

// Who gets in when the tables fill up (docs/RELIABILITY.md §1.6): caps per source for all connections and for those
// still handshaking, and eviction of what is idle so that a full table never locks genuine callers out.
public sealed partial class SessionServiceNode
{
    /// <summary>How long a connection may stay silent before its session request before it may be evicted: a genuine caller sends it at once.</summary>
    private static readonly TimeSpan HandshakeEvictionAge = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a source whose connection was evicted may not evict others in turn: an attacker whose silent session
    /// made room for a genuine caller cannot take the room back at once by evicting another (idle) one of its own,
    /// which would make every session fresh and leave genuine callers nothing idle to evict.
    /// </summary>
    private static readonly TimeSpan EvictionCooldown = TimeSpan.FromSeconds(30);

    private readonly Dictionary<IPAddress, int> _pendingPerAddress = [];
    private readonly Dictionary<IPAddress, long> _evictedAt = [];

    /// <summary>Admits an accepted connection, evicting an idle one if the table is full; the refusal reason otherwise. Under <see cref="_gate"/>.</summary>
    /// <param name="entry">The new connection.</param>
    /// <param name="victim">An evicted connection the caller aborts outside the gate, or null.</param>
    /// <returns>Null when admitted, else why not.</returns>
    private string? TryAdmit(IncomingConnection entry, out IncomingConnection? victim)
    {
        victim = null;
        var address = entry.Connection.RemoteEndPoint.Address;
        _perAddress.TryGetValue(address, out int fromAddress);
        _pendingPerAddress.TryGetValue(address, out int pending);
        if (_disposed)
        {
            return "stopping";
        }

        // A connection from this host's own address (two programs on one station, e.g. clients of nbtd calling each
        // other) is not held to the per-source caps: every local caller shares that address, and no remote host can
        // complete a TCP handshake with it. The table limits and eviction still apply.
        bool ownAddress = address.Equals(entry.Connection.LocalEndPoint.Address);
        if (!ownAddress && fromAddress >= Options.MaxConnectionsPerAddress)
        {
            return "per-address connection limit";
        }

        if (!ownAddress && pending >= Options.MaxPendingPerAddress)
        {
            return "per-address handshake limit";
        }

        if (_incoming.Count >= Options.MaxConnections)
        {
            victim = CoolingDown(address) ? null : PickVictim(sessionsOnly: false);
            if (victim is null)
            {
                return "connection limit";
            }

            Evict(victim);
        }

        _incoming.Add(entry);
        _perAddress[address] = fromAddress + 1;
        _pendingPerAddress[address] = pending + 1;
        entry.CountedPending = true;
        return null;
    }

    /// <summary>
    /// The connection to evict for a newcomer: an accepted session idle for <see cref="SessionServiceOptions.EvictionIdleTime"/>
    /// or a handshake silent for a second (not one queued for a LISTEN), from the source with the most connections,
    /// the longest idle first; null when nothing qualifies. Under <see cref="_gate"/>; one pass over the table.
    /// </summary>
    /// <param name="sessionsOnly">Only established sessions (the session table is full, not the connection table).</param>
    private IncomingConnection? PickVictim(bool sessionsOnly)
    {
        var idleTime = Options.EvictionIdleTime;
        if (idleTime == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var time = _context.Time;
        long now = time.GetTimestamp();
        IncomingConnection? best = null;
        int bestCount = 0;
        long bestSince = long.MaxValue;
        foreach (var entry in _incoming)
        {
            long since;
            TimeSpan minimum;
            if (entry.Session is { } session)
            {
                since = session.Connection.LastActivity;
                minimum = idleTime;
            }
            else if (sessionsOnly || entry.Queued)
            {
                continue;
            }
            else
            {
                since = entry.AcceptedAt;
                minimum = HandshakeEvictionAge < idleTime ? HandshakeEvictionAge : idleTime;
            }

            if (time.GetElapsedTime(since, now) < minimum)
            {
                continue;
            }

            int count = _perAddress.GetValueOrDefault(entry.Connection.RemoteEndPoint.Address);
            if (best is null || count > bestCount || (count == bestCount && since < bestSince))
            {
                (best, bestCount, bestSince) = (entry, count, since);
            }
        }

        return best;
    }

    /// <summary>Aborts an evicted connection (outside the gate) and counts the eviction in the log.</summary>
    private void AbortEvicted(IncomingConnection victim)
    {
        if (_evictions.ShouldLog(out long count))
        {
            SessionLog.Evicted(_context.Logger, count, victim.Connection.RemoteEndPoint, _evictions.Interval);
        }

        if (victim.Session is { } session)
        {
            session.Abort();
        }
        else
        {
            victim.Connection.Abort();
        }
    }

    /// <summary>
    /// Takes an evicted connection out of every table at once (its session's slot too, so the newcomer's reservation
    /// fits; the session's end then finds nothing to release). The caller aborts it outside the gate. Under <see cref="_gate"/>.
    /// </summary>
    private void Evict(IncomingConnection victim)
    {
        Forget(victim);
        NoteEviction(victim.Connection.RemoteEndPoint.Address);
        if (victim.Session is { } session && _sessions.Remove(session.Id))
        {
            _reservedSessions--;
        }
    }

    /// <summary>Whether <paramref name="address"/> had a connection evicted within <see cref="EvictionCooldown"/>. Under <see cref="_gate"/>.</summary>
    private bool CoolingDown(IPAddress address) =>
        _evictedAt.TryGetValue(address, out long at) && _context.Time.GetElapsedTime(at) < EvictionCooldown;

    /// <summary>Starts the source's cooldown; the table is pruned of expired entries when it grows past the connection cap. Under <see cref="_gate"/>.</summary>
    private void NoteEviction(IPAddress address)
    {
        if (_evictedAt.Count >= Options.MaxConnections)
        {
            long now = _context.Time.GetTimestamp();
            foreach (var (source, at) in _evictedAt)
            {
                if (_context.Time.GetElapsedTime(at, now) >= EvictionCooldown)
                {
                    _evictedAt.Remove(source);
                }
            }

            if (_evictedAt.Count >= 4 * Options.MaxConnections)
            {
                return; // bounded: past this many cooling sources a new one is simply not remembered
            }
        }

        _evictedAt[address] = _context.Time.GetTimestamp();
    }

    /// <summary>The connection has its session, or is gone: no longer counted among its source's handshakes (idempotent). Under <see cref="_gate"/>.</summary>
    private void StopCountingAsHandshake(IncomingConnection entry)
    {
        if (entry.CountedPending)
        {
            entry.CountedPending = false;
            Decrement(_pendingPerAddress, entry.Connection.RemoteEndPoint.Address);
        }
    }

    /// <summary>Removes a connection from the table and its source's counts (idempotent). Under <see cref="_gate"/>.</summary>
    private void Forget(IncomingConnection entry)
    {
        if (_incoming.Remove(entry))
        {
            Decrement(_perAddress, entry.Connection.RemoteEndPoint.Address);
            StopCountingAsHandshake(entry);
        }
    }

    private void ForgetIncoming(IncomingConnection entry)
    {
        lock (_gate)
        {
            Forget(entry);
        }
    }

    private static void Decrement(Dictionary<IPAddress, int> counts, IPAddress address)
    {
        if (counts.TryGetValue(address, out int count) && count > 1)
        {
            counts[address] = count - 1;
        }
        else
        {
            counts.Remove(address);
        }
    }
}
