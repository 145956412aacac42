using System.CommandLine;
using NetBios;
using NetBios.DatagramService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt listen [NAME]</c>: registers NAME (unique, or a group with <c>--group</c>) and prints every datagram sent to
/// it; with <c>--broadcast</c> (or without NAME) also broadcast datagrams. Runs until Ctrl-C, <c>--count</c> datagrams
/// or <c>--timeout</c> seconds.
/// </summary>
internal static class ListenCommand
{
    private static readonly Argument<string?> NameArgument = new("NAME") { HelpName = "NAME", Description = "NAME[#xx] to receive datagrams for", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<bool> Group = new("--group") { Description = "NAME is a group name (joined, not owned)" };
    private static readonly Option<bool> Broadcast = new("--broadcast") { Description = "Also print broadcast datagrams" };
    private static readonly Option<bool> Hex = new("--hex") { Description = "Print payloads as hex" };
    private static readonly Option<int?> Count = new("--count") { HelpName = "N", Description = "Stop after N datagrams" };
    private static readonly Option<int?> TimeoutSeconds = new("--timeout") { HelpName = "SECONDS", Description = "Stop after N seconds" };

    public static Command Create(Output output)
    {
        var command = new Command("listen", "Print the datagrams sent to a name (and broadcasts) until Ctrl-C")
        {
            NameArgument, Group, Broadcast, Hex, Count, TimeoutSeconds,
        };
        CommonOptions.AddNetwork(command);
        command.Options.Add(CommonOptions.DatagramPort);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var settings = CliSettings.For(parse).Get<NbtListenOptions>();
        NetBiosName? name = parse.GetValue(NameArgument) is { } text ? CommonOptions.ParseName(text, NetBiosName.DefaultSuffix, options.NameService.Scope) : null;
        bool broadcasts = settings.Broadcast || name is null;
        bool hex = settings.Hex;
        int? count = settings.Count; // at least 1: NbtListenOptionsValidator

        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Node, acceptSessions: false, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Timeout is int seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        // Subscribed before the name is registered, so that nothing sent to it once it is registered is missed.
        using var received = new DatagramFeed(station, stop.Token);
        if (broadcasts)
        {
            received.Add(DatagramReceiveFilter.Broadcasts);
        }

        if (name is { } wanted)
        {
            received.Add(DatagramReceiveFilter.ForName(wanted));
            bool group = settings.Group;
            var registration = await station.AddNameAsync(wanted, group, cancellationToken: cancellationToken);
            if (!registration.Succeeded)
            {
                throw NodeCommand.RegistrationFailed($"cannot register {wanted}", registration);
            }
        }

        output.Info($"listening on {station.Address}:{station.DatagramEndPoint.Port}"
            + (name is null ? string.Empty : $" for {name}") + (broadcasts ? " and broadcasts" : string.Empty) + "; Ctrl-C stops");
        int seen = 0;
        await foreach (var datagram in received.ReadAllAsync())
        {
            if (output.Json)
            {
                output.WriteJsonLine(DatagramText.Json(datagram, hex));
            }
            else
            {
                output.Line(DatagramText.Describe(datagram, hex));
            }

            if (++seen == count)
            {
                break;
            }
        }

        return ExitCodes.Ok;
    }
}
