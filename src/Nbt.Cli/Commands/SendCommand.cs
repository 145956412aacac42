using System.CommandLine;
using NetBios;
using NetBios.DatagramService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt send NAME MESSAGE</c> / <c>nbt send --broadcast MESSAGE</c>: one datagram to a unique name (resolved), a
/// group (<c>--group</c>: subnet broadcast, no resolution) or every station. The datagram service requires the source
/// to be a registered name, so <c>--from</c> is registered first (and released on exit). Through nbtd (NBT_DAEMON,
/// <see cref="DaemonChoice"/>) nothing is registered: the source is the daemon's station name, or <c>--from</c> when
/// the station holds that name.
/// </summary>
internal static class SendCommand
{
    private static readonly Argument<string[]> Words = new("NAME-MESSAGE")
    { HelpName = "NAME MESSAGE",
        Description = "NAME[#xx] MESSAGE (or only MESSAGE with --broadcast)",
        Arity = new ArgumentArity(1, 2),
    };

    private static readonly Option<string?> From = new("--from") { HelpName = "NAME", Description = "Source name, registered for the send (default NBT<PID>#00); through nbtd one of the station's names (default its host name)" };
    private static readonly Option<bool> Group = new("--group") { Description = "NAME is a group: send DIRECT_GROUP without resolving it" };
    private static readonly Option<bool> Broadcast = new("--broadcast") { Description = "Send a BROADCAST datagram to every station" };
    private static readonly Option<bool> Hex = new("--hex") { Description = "MESSAGE is hex digits" };

    public static Command Create(Output output)
    {
        var command = new Command("send", "Send one datagram to a name, a group (--group) or every station (--broadcast)") { Words, From, Group, Broadcast, Hex };
        CommonOptions.AddNetwork(command);
        command.Options.Add(CommonOptions.DatagramPort);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var settings = CliSettings.For(parse).Get<NbtSendOptions>();
        string[] words = parse.GetValue(Words) ?? [];
        bool broadcast = settings.Broadcast;
        if (words.Length != (broadcast ? 1 : 2))
        {
            throw new CliException(broadcast ? "give only MESSAGE with --broadcast" : "give NAME and MESSAGE", ExitCodes.Usage);
        }

        byte[] message = DatagramText.ParseMessage(words[^1], settings.Hex);
        var destination = broadcast ? NetBiosName.Wildcard : CommonOptions.ParseName(words[0], NetBiosName.DefaultSuffix, options.NameService.Scope);
        var source = CommonOptions.ParseName(settings.From ?? $"NBT{Environment.ProcessId}", NetBiosName.DefaultSuffix, options.NameService.Scope);

        await using var daemon = await DaemonChoice.ConnectAsync(output, cancellationToken);
        await using var station = daemon is null
            ? await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken)
            : null;
        INetBiosStation sender;
        if (station is null)
        {
            (sender, source) = await DaemonSource.OpenAsync(daemon!, settings.From, options.NameService.Scope, "source", cancellationToken);
        }
        else
        {
            sender = station;
            var registration = await station.AddNameAsync(source, cancellationToken: cancellationToken);
            if (!registration.Succeeded)
            {
                throw NodeCommand.RegistrationFailed($"cannot use {source} as the source", registration);
            }
        }

        var result = broadcast
            ? await sender.SendBroadcastDatagramAsync(source, message, cancellationToken)
            : await sender.SendDatagramAsync(source, destination, message,
                settings.Group ? DatagramDestinationKind.Group : DatagramDestinationKind.Auto, cancellationToken);
        if (output.Json)
        {
            output.WriteJson(new
            {
                outcome = result.Outcome.ToString(),
                type = DatagramText.TypeName(result.Type),
                source = NameDisplay.Json(source),
                destination = NameDisplay.Json(destination),
                length = message.Length,
                fragments = result.Fragments,
                sentTo = result.Destinations.Select(d => d.ToString()).ToArray(),
            });
        }
        else if (result.Succeeded)
        {
            output.Line($"sent {DatagramText.TypeName(result.Type)} {source} -> {destination}, {message.Length} bytes to {string.Join(", ", result.Destinations)}");
        }

        return result.Outcome switch
        {
            DatagramSendOutcome.Sent => ExitCodes.Ok,
            DatagramSendOutcome.NameNotFound => Fail(output, $"{destination} not found"),
            DatagramSendOutcome.ConflictingAnswers => Fail(output, $"several nodes claim {destination} and none was verified by node status (conflict or spoofing); not sent"),
            DatagramSendOutcome.TooLong => Fail(output, $"the message is {message.Length} bytes; a NetBIOS datagram carries at most 512", ExitCodes.Usage),
            _ => Fail(output, $"{source} is not a registered name here"),
        };
    }

    private static int Fail(Output output, string message, int code = ExitCodes.NotFound)
    {
        output.Error(message);
        return code;
    }
}
