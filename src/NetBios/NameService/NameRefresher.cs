using Microsoft.Extensions.Logging;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>
/// Keeps the names registered with a name server alive (RFC 1002 §5.1.2.3, §4.2.4): one timer per name on the
/// <see cref="TimeProvider"/>, due at TTL × RefreshFraction (within the configured bounds). A positive response renews
/// the TTL; a negative one means the name is lost (it goes into conflict and is no longer defended or answered);
/// silence retries at the minimum refresh interval.
/// </summary>
internal sealed class NameRefresher(NameRegistrar registrar, LocalNameTable names, NodeSettings node, TimeProvider time, ILogger logger,
    CancellationToken stopping)
{
    private NameServiceOptions Options => node.Options;

    /// <summary>Arms (or re-arms) the refresh timer of a name registered with a name server; other names have none.</summary>
    /// <param name="entry">The name.</param>
    /// <param name="renewed">The name server has just granted <see cref="LocalName.Ttl"/> (false after a refresh nobody answered).</param>
    public void Schedule(LocalName entry, bool renewed = true)
    {
        if (!entry.RegisteredWithNameServer || entry.Ttl == TimeSpan.Zero)
        {
            return;
        }

        var due = NodeSettings.Clamp(entry.Ttl * Options.RefreshFraction, Options.MinimumRefreshInterval, Options.MaximumRefreshInterval);
        lock (names.SyncRoot)
        {
            var now = time.GetUtcNow();
            entry.ExpiresAt = renewed ? now + entry.Ttl : entry.ExpiresAt;
            entry.RefreshDueAt = now + due;
            entry.RefreshTimer?.Dispose();
            entry.RefreshTimer = time.CreateTimer(static s => _ = ((RefreshState)s!).RunAsync(), new RefreshState(this, entry), due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RefreshAsync(LocalName entry)
    {
        if (entry.State != LocalNameState.Registered || stopping.IsCancellationRequested)
        {
            return;
        }

        NameRegistrationResult result = new(entry.Name, RegistrationOutcome.Timeout, null, null, TimeSpan.Zero, null);
        foreach (var server in Options.NameServers)
        {
            result = await registrar.RegisterWithServerAsync(entry, server, NameServiceOpcode.Refresh, stopping).ConfigureAwait(false);
            if (result.Outcome != RegistrationOutcome.Timeout)
            {
                break;
            }
        }

        NameServiceLog.Refreshed(logger, entry.Name, result.Outcome);
        bool renewed = true;
        lock (names.SyncRoot)
        {
            switch (result.Outcome)
            {
                case RegistrationOutcome.Registered:
                    entry.Ttl = result.Ttl;
                    break;
                case RegistrationOutcome.Timeout:
                    entry.Ttl = Options.MinimumRefreshInterval;
                    renewed = false;
                    break;
                default:
                    entry.State = LocalNameState.Conflict;
                    entry.ConflictOwner = result.Owner;
                    entry.RefreshTimer?.Dispose();
                    entry.RefreshTimer = null;
                    return;
            }
        }

        Schedule(entry, renewed);
    }

    /// <summary>A timer's run: never throws (a failure is logged; the name keeps its state).</summary>
    private async Task RunAsync(LocalName entry)
    {
        try
        {
            await RefreshAsync(entry).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The node is shutting down.
        }
        catch (Exception ex)
        {
            NameServiceLog.ReceiveError(logger, ex);
        }
    }

    private sealed record RefreshState(NameRefresher Refresher, LocalName Entry)
    {
        public Task RunAsync() => Refresher.RunAsync(Entry);
    }
}
