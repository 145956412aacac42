using System.CommandLine;
using NetBios;
using NetBios.SessionService;
using NetBios.Station;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt serve NAME [--from CALLER]</c>: registers NAME, listens for one session to it (from anyone, or from CALLER),
/// then carries stdin/stdout over it, one line per message, until either side hangs up. Callers for other names, or
/// from other callers, get the RFC's negative responses from the session service.
/// </summary>
internal static class ServeCommand
{
    private static readonly Argument<string> NameArgument = new("NAME") { HelpName = "NAME", Description = "The name to listen on, NAME[#xx] (default suffix <00>; NAME#20 for a server service)" };
    private static readonly Option<string?> From = new("--from") { HelpName = "NAME", Description = "Accept only this caller, NAME[#xx] (default: anyone)" };

    public static Command Create(Output output)
    {
        var command = new Command("serve", "Register a name, accept one session to it and carry stdin/stdout over it, one line per message (or bytes, --binary)") { NameArgument, From, SessionPump.Binary };
        CommonOptions.AddNetwork(command);
        command.Options.Add(CommonOptions.DatagramPort);
        command.Options.Add(CommonOptions.SessionPort);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var options = CommonOptions.BuildStationOptions(parse);
        var name = CommonOptions.ParseName(parse.GetValue(NameArgument)!, NetBiosName.DefaultSuffix, options.NameService.Scope);
        NetBiosName? from = CliSettings.For(parse).Get<NbtServeOptions>().From is { } caller ? CommonOptions.ParseName(caller, NetBiosName.DefaultSuffix, options.NameService.Scope) : null;

        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Node, acceptSessions: true, cancellationToken);
        var registration = await station.AddNameAsync(name, cancellationToken: cancellationToken);
        if (!registration.Succeeded)
        {
            throw NodeCommand.RegistrationFailed($"cannot register {name}", registration);
        }

        output.Info($"listening on {name} at {station.SessionEndPoint} for {(from is { } f ? f.ToString() : "any caller")}");
        var listen = await station.ListenAsync(name, from, cancellationToken);
        if (!listen.IsConnected)
        {
            return ExitCodes.Ok; // Ctrl-C while waiting
        }

        var session = listen.Session!;
        output.Info($"session from {session.RemoteName} at {session.RemoteEndPoint}; end of input hangs up");
        return await SessionPump.CarryAsync(parse, session, output, cancellationToken);
    }
}
