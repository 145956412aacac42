using Microsoft.Extensions.Logging;
using NetBios.NameService;
using NetBios.Station;

namespace NetBios.Daemon;

/// <summary>
/// The names the daemon holds itself (HOLD NAME), daemon-wide and not tied to any client connection: they stay
/// registered and defended by their station after the client that asked has gone, until RELEASE HELD NAME or the daemon
/// stops (<see cref="ReleaseAllAsync"/>). A name is entered only once its registration succeeded. With a
/// <see cref="StateFile"/> the held names are written to disk on every hold and release (not at stop) and registered
/// again at the next start (<see cref="RestoreAsync"/>), so that they survive a restart of the daemon.
/// </summary>
/// <remarks>Thread-safe. At most one hold or release of a given name runs at a time (a second one is Busy).</remarks>
internal sealed class HeldNameRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(byte Lana, NetBiosName Name), HeldName> _held = [];
    private readonly HashSet<(byte Lana, NetBiosName Name)> _changing = [];
    private readonly Lock _saveLock = new();

    /// <summary>Names of the state file whose name server was silent at start: registered again later (<see cref="RetryAsync"/>).</summary>
    private readonly Dictionary<(byte Lana, NetBiosName Name), (HeldName Held, CancellationTokenSource Stop)> _retrying = [];

    /// <summary>First wait before registering again a name whose name server did not answer at start; doubled each
    /// time up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two tries.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(10);

    /// <summary>Where the held names are kept across restarts; null: not kept (the default of an embedded server).</summary>
    public HeldNameStateFile? StateFile { get; set; }

    /// <summary>Logs a failed write of <see cref="StateFile"/> (the hold or release itself stands).</summary>
    public Action<Exception>? OnSaveFailure { get; set; }

    /// <summary>The clock of the retries (the server's).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

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

    /// <summary>Records a name whose registration succeeded (and writes <see cref="StateFile"/>).</summary>
    public void Add(HeldName held) => Add(held, save: true);

    /// <summary>Forgets a held name (and writes <see cref="StateFile"/>).</summary>
    public bool Remove(byte lana, NetBiosName name)
    {
        bool removed;
        lock (_lock)
        {
            removed = _held.Remove((lana, name)) | EndRetryLocked(lana, name);
        }

        if (removed)
        {
            Save();
        }

        return removed;
    }

    /// <summary>Daemon start: registers again every name of <see cref="StateFile"/> on its station (all at once) and holds
    /// those that register; the file is then rewritten with the names held. A name whose LANA is gone or that does not
    /// register (conflict, refused) is logged and dropped; one whose name server does not answer is kept and registered
    /// again later (<see cref="FirstRetryDelay"/>, doubling up to <see cref="MaxRetryDelay"/>). A file that cannot be read or parsed is logged
    /// with its path and moved aside to <c>PATH.corrupt</c>, and the daemon starts without held names (never a crash
    /// loop).</summary>
    /// <param name="stations">The daemon's stations.</param>
    /// <param name="logger">The daemon's log.</param>
    /// <param name="cancellationToken">Cancels the start (the file is then left as it was).</param>
    /// <returns>How many names are held again.</returns>
    public async Task<int> RestoreAsync(IReadOnlyDictionary<byte, NetBiosStation> stations, ILogger logger, CancellationToken cancellationToken)
    {
        if (StateFile is not { } file)
        {
            return 0;
        }

        var (names, problem) = file.Load();
        if (problem is not null)
        {
            string? aside = file.MoveAside();
            AdminLog.HeldFileUnusable(logger, file.Path, problem, aside ?? "left in place");
            return 0;
        }

        bool[] held = await Task.WhenAll(names.Select(h => RestoreOneAsync(stations, h, logger, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (held.Length > 0)
        {
            Save();
        }

        return held.Count(h => h);
    }

    private async Task<bool> RestoreOneAsync(IReadOnlyDictionary<byte, NetBiosStation> stations, HeldName held, ILogger logger,
        CancellationToken cancellationToken)
    {
        if (!stations.TryGetValue(held.Lana, out var station))
        {
            AdminLog.HeldNotRestored(logger, held.Name, held.Lana, held.UserId, "the daemon has no such LANA now");
            return false;
        }

        var name = station.Names.ApplyScope(held.Name);
        if (!TryBeginChange(held.Lana, name))
        {
            return false;
        }

        try
        {
            var result = await station.AddNameAsync(name, held.IsGroup, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == RegistrationOutcome.Timeout)
            {
                // The name server is silent (a P node's WINS server down at boot): not a refusal, so the name is kept in
                // the file and registered again later, as a client retries its registration.
                StartRetry(station, held with { Name = name }, logger);
                return false;
            }

            if (!result.Succeeded)
            {
                AdminLog.HeldNotRestored(logger, name, held.Lana, held.UserId, result.Outcome.ToString());
                return false;
            }

            Add(held with { Name = name }, save: false);
            AdminLog.HeldRestored(logger, name, held.Lana, held.UserId);
            return true;
        }
        finally
        {
            EndChange(held.Lana, name);
        }
    }

    /// <summary>The names waiting for their name server (RELEASE HELD NAME ends the wait; they stay in the file).</summary>
    public IReadOnlyList<HeldName> Retrying()
    {
        lock (_lock)
        {
            return [.. _retrying.Values.Select(r => r.Held)];
        }
    }

    /// <summary>The name, if it waits for its name server (<see cref="Retrying"/>).</summary>
    public HeldName? FindRetrying(byte lana, NetBiosName name)
    {
        lock (_lock)
        {
            return _retrying.TryGetValue((lana, name), out var retry) ? retry.Held : null;
        }
    }

    private void StartRetry(NetBiosStation station, HeldName held, ILogger logger)
    {
        var stop = new CancellationTokenSource();
        lock (_lock)
        {
            _retrying[(held.Lana, held.Name)] = (held, stop);
        }

        AdminLog.HeldRetrying(logger, held.Name, held.Lana, held.UserId, FirstRetryDelay);
        _ = RetryAsync(station, held, logger, stop.Token);
    }

    /// <summary>Registers <paramref name="held"/> again after <see cref="FirstRetryDelay"/>, doubling the wait up to
    /// <see cref="MaxRetryDelay"/>, until it registers (then held), is refused or in conflict (then dropped from the file),
    /// or the retry is ended (a HOLD or RELEASE of the name, or the daemon stopping).</summary>
    private async Task RetryAsync(NetBiosStation station, HeldName held, ILogger logger, CancellationToken stop)
    {
        var delay = FirstRetryDelay;
        try
        {
            while (true)
            {
                await Task.Delay(delay, Time, stop).ConfigureAwait(false);
                delay = delay * 2 > MaxRetryDelay ? MaxRetryDelay : delay * 2;
                if (!TryBeginChange(held.Lana, held.Name))
                {
                    continue; // a HOLD or RELEASE of the name runs: it decides
                }

                try
                {
                    NameRegistrationResult result;
                    try
                    {
                        result = await station.AddNameAsync(held.Name, held.IsGroup, stop).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
                    {
                        continue; // the network, not the name: try again later, as after a timeout
                    }

                    if (result.Outcome == RegistrationOutcome.Timeout)
                    {
                        continue;
                    }

                    if (result.Succeeded)
                    {
                        Add(held, save: true);
                        AdminLog.HeldRestored(logger, held.Name, held.Lana, held.UserId);
                    }
                    else
                    {
                        AdminLog.HeldNotRestored(logger, held.Name, held.Lana, held.UserId, result.Outcome.ToString());
                        lock (_lock)
                        {
                            EndRetryLocked(held.Lana, held.Name);
                        }

                        Save();
                    }

                    return;
                }
                finally
                {
                    EndChange(held.Lana, held.Name);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Ended: by a HOLD or RELEASE of the name, or the daemon stopping (the name stays in the file for the next start).
        }
    }

    /// <summary>Ends the retry of a name, if one runs (under <see cref="_lock"/>).</summary>
    private bool EndRetryLocked(byte lana, NetBiosName name)
    {
        if (!_retrying.Remove((lana, name), out var retry))
        {
            return false;
        }

        retry.Stop.Cancel();
        retry.Stop.Dispose();
        return true;
    }

    private void Add(HeldName held, bool save)
    {
        lock (_lock)
        {
            _held[(held.Lana, held.Name)] = held;
            EndRetryLocked(held.Lana, held.Name);
        }

        if (save)
        {
            Save();
        }
    }

    /// <summary>Writes the names held now to <see cref="StateFile"/>; one writer at a time, each writing the latest state.</summary>
    private void Save()
    {
        if (StateFile is not { } file)
        {
            return;
        }

        lock (_saveLock)
        {
            try
            {
                file.Save([.. Snapshot(), .. Retrying()]);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                OnSaveFailure?.Invoke(ex);
            }
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
            foreach (var key in _retrying.Keys.ToList())
            {
                EndRetryLocked(key.Lana, key.Name);
            }
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
