using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetBios;
using NetBios.NameService;
using Nbtd.Configuration;

namespace Nbtd.Hosting;

/// <summary>
/// The hosted service of the stations <see cref="StationBinder"/> bound before the host started: at start it registers
/// each station's configured names (the host name, permanent, with suffixes 00, 03 and 20; the groups; the other
/// names) and logs each outcome — a conflict is logged, not fatal; at stop it releases them and stops the stations and
/// the WINS server within <see cref="NbtdOptions.ShutdownTimeout"/>. The host starts it first, so sd_notify READY
/// (sent when every hosted service has started) comes after the stations are bound and their names registered.
/// </summary>
internal sealed class StationService(StationBinder binder, NbtdOptions options, ILoggerFactory loggerFactory) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Nbtd");

    /// <summary>Registers every station's names.</summary>
    /// <param name="cancellationToken">Cancels registering (the host is stopping).</param>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var registrations = new List<Task<bool>>();
        foreach (var bound in binder.Bound)
        {
            var settings = bound.Settings;
            var wanted = new List<(NetBiosName Name, bool Group, bool Permanent)>();
            wanted.AddRange(settings.HostNames.Select((n, i) => (n, false, i == 0)));
            wanted.AddRange(settings.Groups.Select(n => (n, true, false)));
            wanted.AddRange(settings.Names.Select(n => (n, false, false)));
            foreach (var (name, group, permanent) in wanted)
            {
                registrations.Add(RegisterAsync(bound, name, group, permanent, cancellationToken));
            }
        }

        bool[] results = await Task.WhenAll(registrations).ConfigureAwait(false);
        NbtdLog.Ready(_logger, binder.Bound.Count, results.Count(r => r));
    }

    /// <summary>Releases the names and stops the stations and the WINS server, within the shutdown timeout.</summary>
    /// <param name="cancellationToken">The host's own stop deadline.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        NbtdLog.Stopping(_logger, binder.Bound.Count);
        await binder.StopAsync(options.ShutdownTimeout).ConfigureAwait(false);
        NbtdLog.Stopped(_logger);
    }

    private async Task<bool> RegisterAsync(BoundStation bound, NetBiosName name, bool group, bool permanent, CancellationToken cancellationToken)
    {
        byte lana = bound.Settings.Lana;
        NameRegistrationResult result;
        try
        {
            result = await bound.Station.Names.RegisterAsync(name, group, permanent, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false; // stopped while starting: the stop releases whatever was registered
        }

        if (result.Succeeded)
        {
            NbtdLog.NameRegistered(_logger, lana, name.ToString(), group ? " (group)" : permanent ? " (permanent)" : string.Empty);
            return true;
        }

        string detail = result switch
        {
            { Outcome: RegistrationOutcome.Conflict, Owner: { } owner } => $"owned by {owner}",
            { Rcode: { } rcode, RespondedBy: { } by } => $"{rcode} from {by.Address}",
            { Outcome: RegistrationOutcome.Timeout } => "no answer from the name server",
            _ => string.Empty,
        };
        NbtdLog.NameNotRegistered(_logger, lana, name.ToString(), result.Outcome.ToString(), detail);
        return false;
    }
}
