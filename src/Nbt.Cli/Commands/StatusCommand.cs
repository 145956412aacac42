using System.CommandLine;
using System.Net;
using NetBios.NameService;
using NetBios.Wire.NameService;
using NetBios.Station;

namespace Nbt.Cli.Commands;

/// <summary><c>nbt status HOST|IP</c>: a node's name table, as <c>nbtstat -A</c> prints it.</summary>
internal static class StatusCommand
{
    private static readonly Argument<string> Target = new("host") { Description = "IPv4 address, or a NetBIOS name to resolve first" };

    public static Command Create(Output output)
    {
        var command = new Command("status", "Node status: a node's names, their flags and its MAC (like nbtstat -A)") { Target };
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        string target = parse.GetValue(Target)!;
        var options = CommonOptions.BuildStationOptions(parse);
        // Checked before anything is bound: a bad address or name is a usage error, not a network one.
        var given = CommonOptions.ParseAddressTarget(target);
        var name = given is null ? CommonOptions.ParseName(target, 0x20, options.NameService.Scope) : default;
        await using var station = await NodeFactory.BindAsync(parse, options, output.LoggerFactory, StationRole.Client, acceptSessions: false, cancellationToken);
        IPAddress address;
        if (given is not null)
        {
            address = given;
        }
        else
        {
            output.Progress($"resolving {name}");
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
                names = status.Names.Select(n => new
                {
                    name = n.Name.NameText,
                    suffix = n.Name.Suffix,
                    group = n.IsGroup,
                    nodeType = n.NodeType.ToString(),
                    flags = Capture.PacketFormatter.StatusFlags(n.Flags),
                }),
            });
            return ExitCodes.Ok;
        }

        output.Line($"Node status of {address}:");
        output.Table(status.Names.Select(n => new[]
        {
            n.Name.NameText, $"<{n.Name.Suffix:X2}>", n.IsGroup ? "GROUP" : "UNIQUE", n.NodeType.ToString(), Capture.PacketFormatter.StatusFlags(n.Flags),
        }), indent: "    ");
        output.Line($"    MAC Address = {mac}");
        return ExitCodes.Ok;
    }
}
