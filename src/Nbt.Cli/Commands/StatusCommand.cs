using System.CommandLine;
using System.Net;
using NetBios;
using NetBios.NameService;
using NetBios.Station;
using NetBios.Wire.NameService;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary><c>nbt status HOST|IP</c>: a node's name table, as <c>nbtstat -A</c> prints it.</summary>
internal static class StatusCommand
{
    private static readonly Argument<string> Target = new("HOST") { Description = "IPv4 address, or a NetBIOS name to resolve first (default suffix <00>; NAME#20 for a server service)", HelpName = "IP|NAME" };

    private static readonly Option<string> Format = new("--format")
    {
        Description = "Table layout: nbt (default) or nbtstat (as Windows nbtstat -A prints it)",
        DefaultValueFactory = _ => "nbt",
        HelpName = "nbt|nbtstat",
    };

    public static Command Create(Output output)
    {
        var command = new Command("status", "Node status: a node's names, their flags and its MAC (like nbtstat -A)") { Target, Format };
        CommonOptions.AddNetwork(command);
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        string target = parse.GetValue(Target)!;
        var options = CommonOptions.BuildStationOptions(parse);
        string format = CliSettings.For(parse).Get<NbtStatusOptions>().Format.ToLowerInvariant();

        // Checked before anything is bound: a bad address or name is a usage error, not a network one.
        var given = CommonOptions.ParseAddressTarget(target);
        var name = given is null ? CommonOptions.ParseName(target, NetBiosName.DefaultSuffix, options.NameService.Scope) : default;
        await using var station = await NodeFactory.BindAsync(parse, options, output, StationRole.Client, acceptSessions: false, cancellationToken);
        IPAddress address;
        if (given is not null)
        {
            address = given;
        }
        else
        {
            output.Progress($"resolving {NameDisplay.Display(name)}");
            var query = await station.QueryAsync(name, null, cancellationToken);
            if (query.Outcome != QueryOutcome.Found)
            {
                output.Error($"{name}: not found");
                return ExitCodes.NotFound;
            }

            address = query.Addresses[0];
        }

        output.Progress($"looking up status of {address}");
        var status = await station.GetNodeStatusAsync(address, null, cancellationToken);
        if (status.Outcome != QueryOutcome.Found)
        {
            output.Error($"{address}: no node status answer");
            return ExitCodes.NotFound;
        }

        string mac = status.MacAddress is { } m ? string.Join("-", m.GetAddressBytes().Select(b => b.ToString("X2"))) : "?";
        if (output.Json)
        {
            output.WriteJson(new
            {
                address = address.ToString(),
                mac,
                names = status.Names.Select(NameDisplay.StatusEntryJson),
            });
            return ExitCodes.Ok;
        }

        if (format == "nbtstat")
        {
            WriteNbtstat(output, address, status, mac);
            return ExitCodes.Ok;
        }

        output.Line($"Node status of {address}:");
        output.Table(status.Names.Select(n => new[]
        {
            NameDisplay.Text(n.Name), $"<{NameDisplay.Suffix(n.Name)}>", n.IsGroup ? "GROUP" : "UNIQUE", n.NodeType.ToString(), Capture.PacketFormatter.StatusFlags(n.Flags),
        }), indent: "    ");
        output.Line($"    MAC Address = {mac}");
        return ExitCodes.Ok;
    }

    /// <summary>Windows <c>nbtstat -A</c>'s layout: a 15-column name, suffix, type and status (Registered, Conflict, ...).</summary>
    private static void WriteNbtstat(Output output, IPAddress address, NodeStatusResult status, string mac)
    {
        output.Line($"Node IpAddress: [{address}] Scope Id: []");
        output.Line(string.Empty);
        output.Line("           NetBIOS Remote Machine Name Table");
        output.Line(string.Empty);
        output.Line("       Name               Type         Status");
        output.Line("    ---------------------------------------------");
        foreach (var n in status.Names)
        {
            string state = (n.Flags & NodeStatusNameFlags.Conflict) != 0 ? "Conflict"
                : (n.Flags & NodeStatusNameFlags.Deregistering) != 0 ? "Deregistered"
                : (n.Flags & NodeStatusNameFlags.Active) != 0 ? "Registered" : "Registering";
            output.Line($"    {NameDisplay.Text(n.Name),-15}<{NameDisplay.Suffix(n.Name)}>  {(n.IsGroup ? "GROUP" : "UNIQUE"),-10}  {state}");
        }

        output.Line(string.Empty);
        output.Line($"    MAC Address = {mac}");
    }
}
