using System.CommandLine;
using System.Text;
using NetBios;
using NetBios.DatagramService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt chat NICK --group GROUP</c>: the seed's chat program. The station adds its own unique name (NICK) and the
/// common group name (GROUP), sends each line typed as a group datagram (or a broadcast with <c>--broadcast</c>) and
/// prints what the others send as <c>&lt;NICK&gt; line</c>. End of input or Ctrl-C leaves (the names are released).
/// </summary>
internal static class ChatCommand
{
    private static readonly Argument<string> Nick = new("NICK") { HelpName = "NICK", Description = "Your name, NICK[#xx] (registered as a unique name)" };
    private static readonly Option<string> GroupName = new("--group", "-g")
    { HelpName = "GROUP",
        Description = "The chat's group name, GROUP[#xx] (joined as a group name)",
        DefaultValueFactory = _ => "NBTCHAT",
    };

    private static readonly Option<bool> Broadcast = new("--broadcast") { Description = "Send lines as broadcast datagrams instead of group datagrams" };

    public static Command Create(Output output)
    {
        var command = new Command("chat", "Chat with the other stations in a group: lines typed go out as group datagrams") { Nick, GroupName, Broadcast };
        CommonOptions.AddNetwork(command);
        command.Options.Add(CommonOptions.DatagramPort);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var settings = CliSettings.For(parse).Get<NbtChatOptions>();
        var nick = CommonOptions.ParseName(parse.GetValue(Nick)!, NetBiosName.DefaultSuffix, options.NameService.Scope);
        var group = CommonOptions.ParseName(settings.Group, NetBiosName.DefaultSuffix, options.NameService.Scope);
        bool broadcast = settings.Broadcast;

        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Node, acceptSessions: false, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var feed = new DatagramFeed(station, stop.Token);
        feed.Add(broadcast ? DatagramReceiveFilter.Broadcasts : DatagramReceiveFilter.ForName(group));
        var registrations = await Task.WhenAll(
            station.AddNameAsync(nick, cancellationToken: cancellationToken).AsTask(),
            station.AddNameAsync(group, isGroup: true, cancellationToken: cancellationToken).AsTask());
        if (registrations.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            throw NodeCommand.RegistrationFailed($"cannot register {failed.Name}", failed);
        }

        output.Info($"joined {group} as {nick} on {station.Address}; type lines to send, end of input leaves");
        var printing = PrintAsync(feed, nick, output);
        while (await ReadLineAsync(output.In, stop.Token) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            byte[] data = Encoding.UTF8.GetBytes(line);
            if (data.Length > DatagramServiceOptions.DefaultMaxUserDataLength)
            {
                output.Error($"line not sent: {data.Length} bytes, a datagram carries at most {DatagramServiceOptions.DefaultMaxUserDataLength}");
                continue;
            }

            var result = broadcast
                ? await station.SendBroadcastDatagramAsync(nick, data, stop.Token)
                : await station.SendDatagramAsync(nick, group, data, DatagramDestinationKind.Group, stop.Token);
            if (!result.Succeeded)
            {
                output.Error($"line not sent: {result.Outcome}");
            }
        }

        output.Info($"leaving {group}");
        await stop.CancelAsync();
        await printing;
        return ExitCodes.Ok;
    }

    private static async Task PrintAsync(DatagramFeed feed, NetBiosName nick, Output output)
    {
        await foreach (var datagram in feed.ReadAllAsync())
        {
            if (datagram.SourceName == nick)
            {
                continue; // our own line, looped back by the group broadcast
            }

            if (output.Json)
            {
                output.WriteJsonLine(new { from = NameDisplay.Json(datagram.SourceName), address = datagram.Source.ToString(), text = DatagramText.Payload(datagram.Data.Span, hex: false) });
            }
            else
            {
                output.Line($"<{NameDisplay.Text(datagram.SourceName)}> {DatagramText.Payload(datagram.Data.Span, hex: false)}");
            }
            await output.Out.FlushAsync();
        }
    }

    /// <summary>The next line, or null at end of input or when stopped.</summary>
    private static async Task<string?> ReadLineAsync(TextReader input, CancellationToken cancellationToken)
    {
        try
        {
            return await input.ReadLineAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
