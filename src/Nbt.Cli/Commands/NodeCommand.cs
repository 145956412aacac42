using System.CommandLine;
using NetBios;
using NetBios.DatagramService;
using NetBios.NameServer;
using NetBios.NameService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt node</c>: a full NetBIOS node in the foreground. It registers its names, defends and answers them,
/// answers node status, accepts datagrams for its names (and broadcasts) and prints them, and releases its names on
/// Ctrl-C or SIGTERM. With <c>--wins-server</c> it also runs a WINS (NBNS) server on the same UDP port, and its
/// node registers with it (unless --wins names other servers).
/// </summary>
internal static class NodeCommand
{
    private static readonly Option<string[]> Names = new("--name", "-n")
    { HelpName = "NAME",
        Description = "Host name: registers NAME<00>, NAME<03> and NAME<20> (default: this machine's name); may be repeated",
    };

    private static readonly Option<string[]> Groups = new("--group", "-g")
    { HelpName = "GROUP",
        Description = "Workgroup: registers the group name GROUP<00>; may be repeated",
    };

    private static readonly Option<string[]> Unique = new("--add")
    { HelpName = "NAME#xx",
        Description = "Any other unique name, NAME#xx; may be repeated",
    };

    private static readonly Option<bool> AllowPartial = new("--allow-partial")
    {
        Description = "Keep running when some names could not be registered (they are reported); without it the node stops with exit 1",
    };

    /// <summary>The <c>--database</c> value that keeps the WINS records in memory only.</summary>
    internal const string InMemoryDatabase = NetBios.NameServer.Hosting.WinsStoreLocation.InMemory;

    private static readonly Option<bool> WinsServerOption = new("--wins-server")
    {
        Description = "Also run a WINS (NBNS) server on the same name service port; the node registers with it unless --wins is given. Records go to --database PATH (SQLite, default /var/lib/nbt/wins.db; :memory: keeps them in memory only) or --database-url",
    };

    private static readonly Option<string?> WinsHook = new("--wins-hook")
    { HelpName = "PROGRAM",
        Description = "With --wins-server: a program run on every change as PROGRAM add|refresh|delete|release NAME TYPE TTL IP... (no shell)",
    };

    private static readonly Option<int?> WinsMinTtl = new("--wins-min-ttl")
    { HelpName = "SECONDS",
        Description = "With --wins-server: the least TTL granted, in seconds (default 172800, 2 days)",
    };

    private static readonly Option<int?> WinsMaxTtl = new("--wins-max-ttl")
    { HelpName = "SECONDS",
        Description = "With --wins-server: the greatest TTL granted, in seconds (default 518400, 6 days: the Windows renewal interval)",
    };

    public static Command Create(Output output)
    {
        var command = new Command("node", "Run a NetBIOS node: register, defend and answer names, accept datagrams and sessions, until Ctrl-C")
        {
            Names, Groups, Unique, AllowPartial, WinsServerOption, WinsHook, WinsMinTtl, WinsMaxTtl, WinsStoreFactory.Database, WinsStoreFactory.DatabaseUrl,
        };
        CommonOptions.AddNetwork(command);
        command.Options.Add(CommonOptions.DatagramPort);
        command.Options.Add(CommonOptions.SessionPort);
        command.Options.Add(CommonOptions.Refresh);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var settings = CliSettings.For(parse).Get<NbtNodeOptions>();
        bool winsServer = settings.WinsServer;
        if (!winsServer && (settings.WinsHook is not null || settings.WinsMinTtl is not null || settings.WinsMaxTtl is not null
            || settings.Database is not null || settings.DatabaseUrl is not null))
        {
            throw new CliException("--wins-hook, --wins-min-ttl, --wins-max-ttl, --database and --database-url need --wins-server", ExitCodes.Usage);
        }

        var winsOptions = winsServer ? BuildWinsOptions(settings) : null;

        var options = CommonOptions.BuildStationOptions(parse, ownNameServer: winsServer);
        var wanted = new List<(NetBiosName Name, bool Group)>();
        string[] hosts = settings.Name is { Length: > 0 } given ? given : [DefaultHostName()];
        foreach (string host in hosts)
        {
            foreach (byte suffix in new byte[] { 0x00, 0x03, 0x20 })
            {
                wanted.Add((CommonOptions.ParseName(host, suffix, options.NameService.Scope).WithSuffix(suffix), false));
            }
        }

        foreach (string group in settings.Group)
        {
            wanted.Add((CommonOptions.ParseName(group, NetBiosName.DefaultSuffix, options.NameService.Scope), true));
        }

        foreach (string name in settings.Add)
        {
            wanted.Add((CommonOptions.ParseName(name, NetBiosName.DefaultSuffix, options.NameService.Scope), false));
        }

        await using var winsStore = winsServer ? await CreateWinsStoreAsync(parse, output, cancellationToken) : null;
        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Node, acceptSessions: true, cancellationToken);

        // The server shares the node's endpoint (UDP 137), after the node's responder: the node answers and defends
        // its own names first. On a normal stop the station is disposed first, so the node's releases still reach it.
        await using var wins = winsStore is not null ? StartWinsServer(station, winsStore, winsOptions!, output) : null;
        output.Progress($"{station.NodeType}-node on {station.Address} (broadcast {station.Adapter.BroadcastAddress}, name service port {station.NameServiceEndPoint.Port}, "
            + $"datagram port {station.DatagramEndPoint.Port}, session port {station.SessionEndPoint?.Port}); registering {wanted.Count} names");
        var results = await Task.WhenAll(wanted.Select(w => station.AddNameAsync(w.Name, w.Group, cancellationToken).AsTask()));
        if (output.Json)
        {
            foreach (var r in results)
            {
                output.WriteJsonLine(new
                {
                    @event = "name",
                    name = NameDisplay.Json(r.Name),
                    group = wanted.First(w => w.Name == r.Name).Group,
                    outcome = r.Outcome.ToString(),
                    owner = r.Owner?.ToString(),
                    rcode = r.Rcode?.ToString(),
                    respondedBy = r.RespondedBy?.ToString(),
                    ttl = r.Succeeded ? (long?)r.Ttl.TotalSeconds : null,
                });
            }
        }
        else
        {
            output.Table(results.Select(r => new[]
            {
                NameDisplay.Display(r.Name), r.Outcome.ToString().ToUpperInvariant(),
                Explain(r),
            }));
        }

        var failed = results.Where(r => !r.Succeeded).ToList();
        if (failed.Count == results.Length)
        {
            output.Error("no name could be registered");
            return ExitCodes.NotFound;
        }

        if (failed.Count > 0 && !settings.AllowPartial)
        {
            output.Error($"{failed.Count} of {results.Length} names could not be registered ({string.Join(", ", failed.Select(f => NameDisplay.Display(f.Name)))}); "
                + "stopping and releasing the others (--allow-partial keeps running with them)");
            return ExitCodes.NotFound;
        }

        // The node accepts sessions to its unique names from any caller and shows their messages.
        var accepting = results.Where(r => r.Succeeded && !wanted.First(w => w.Name == r.Name).Group)
            .Select(r => AcceptSessionsAsync(station, r.Name, output, cancellationToken)).ToList();
        output.Progress("running; Ctrl-C releases the names and stops");
        using (var datagrams = new DatagramFeed(station, cancellationToken))
        {
            // The node accepts datagrams for its names and broadcasts, and shows them.
            datagrams.Add(DatagramReceiveFilter.AnyName);
            datagrams.Add(DatagramReceiveFilter.Broadcasts);
            await foreach (var datagram in datagrams.ReadAllAsync())
            {
                if (output.Json)
                {
                    output.WriteJsonLine(new { @event = "datagram", datagram = DatagramText.Json(datagram, hex: false) });
                }
                else
                {
                    output.Line("datagram  " + DatagramText.Describe(datagram, hex: false));
                }
            }
        }

        output.Progress("releasing names");
        await station.DisposeAsync();
        await Task.WhenAll(accepting);
        output.Progress("stopped");
        return ExitCodes.Ok;
    }

    /// <summary>The WINS server on the station's name service endpoint.</summary>
    private static WinsServer StartWinsServer(NetBiosStation station, IWinsStore store, WinsServerOptions options, Output output)
    {
        options.OwnAddress = station.Address;
        var server = new WinsServer(station.Names.Endpoint, store, options, TimeProvider.System, output.LoggerFactory);
        output.Progress($"WINS server on {station.NameServiceEndPoint} ({server.Store.GetType().Name})");
        return server;
    }

    /// <summary>The server's settings from the node's bound options, checked before anything is bound.</summary>
    private static WinsServerOptions BuildWinsOptions(NbtNodeOptions settings)
    {
        var options = new WinsServerOptions { HookProgram = settings.WinsHook };
        if (settings.WinsMinTtl is { } min)
        {
            options.MinimumTtl = TimeSpan.FromSeconds(min);
        }

        if (settings.WinsMaxTtl is { } max)
        {
            options.MaximumTtl = TimeSpan.FromSeconds(max);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CliException("--wins-min-ttl/--wins-max-ttl: " + ex.Message.Split(" (Parameter")[0], ExitCodes.Usage);
        }

        return options;
    }

    /// <summary>
    /// The one place where the WINS server's store is made from the command line: the SQLite file of
    /// <c>--database PATH</c> (default <see cref="NetBios.NameServer.Sqlite.SqliteWinsStore.DefaultPath"/>), a shared
    /// PostgreSQL database (<c>--database-url</c>), or, with <c>--database :memory:</c>, records kept in memory only
    /// (lost when the node stops).
    /// </summary>
    /// <param name="parse">The command line.</param>
    /// <param name="output">Where progress goes.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The store; the command disposes it after the server.</returns>
    internal static async Task<IWinsStore> CreateWinsStoreAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var settings = CliSettings.For(parse).Get<NbtNodeOptions>();
        if (settings.Database == InMemoryDatabase)
        {
            output.Progress("WINS records are kept in memory only (--database :memory:)");
            return new InMemoryWinsStore();
        }

        return await WinsStoreFactory.OpenAsync(settings.Database, settings.DatabaseUrl, create: true, output.LoggerFactory, cancellationToken);
    }

    private static async Task AcceptSessionsAsync(NetBiosStation station, NetBiosName name, Output output, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var listen = await station.ListenAsync(name, null, cancellationToken);
            if (!listen.IsConnected)
            {
                return;
            }

            var session = listen.Session!;
            if (output.Json)
            {
                output.WriteJsonLine(new { @event = "session", caller = NameDisplay.Json(session.RemoteName), called = NameDisplay.Json(session.LocalName), from = session.RemoteEndPoint.ToString() });
            }
            else
            {
                output.Line($"session  {session.RemoteName} -> {session.LocalName}  from {session.RemoteEndPoint}");
            }

            _ = Task.Run(async () =>
            {
                var end = await SessionPump.ShowAsync(session, output, cancellationToken);
                string how = end == NetBios.SessionService.SessionIoStatus.Aborted ? "aborted" : "closed";
                if (output.Json)
                {
                    output.WriteJsonLine(new { @event = "session-end", caller = NameDisplay.Json(session.RemoteName), called = NameDisplay.Json(session.LocalName), end = how });
                }
                else
                {
                    output.Line($"session  {session.RemoteName} -> {session.LocalName}  {how}");
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>The one-line error for a name a command needs but could not register (exit 1).</summary>
    /// <param name="doing">What was being done, e.g. "cannot register X".</param>
    /// <param name="result">The failed registration.</param>
    internal static CliException RegistrationFailed(string doing, NameRegistrationResult result) =>
        new($"{doing}: {result.Outcome} {Explain(result)}".TrimEnd(), ExitCodes.NotFound);

    /// <summary>Why a registration did not succeed, in words (empty for a success); shared with <c>nbt register</c>.</summary>
    internal static string Explain(NameRegistrationResult result) => result switch
    {
        { Outcome: RegistrationOutcome.Conflict, Owner: { } owner } => $"owned by {owner}",
        { Rcode: { } rcode, RespondedBy: { } by } => $"{rcode} from {by.Address}",
        { Outcome: RegistrationOutcome.Timeout } => "no answer from the name server",
        _ => string.Empty,
    };

    private static string DefaultHostName()
    {
        string name = Environment.MachineName.Split('.')[0].ToUpperInvariant();
        return name.Length > 15 ? name[..15] : name;
    }
}
