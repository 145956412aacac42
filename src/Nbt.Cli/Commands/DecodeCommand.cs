using System.CommandLine;
using System.Globalization;
using Nbt.Cli.Capture;
using NetBios;
using Nbt.Cli.Configuration;

namespace Nbt.Cli.Commands;

/// <summary>
/// <c>nbt decode [FILE]</c>: prints every NBNS/NBDS/NBSS packet of a pcap/pcapng capture, or of hex read from stdin,
/// one header line each plus indented details; malformed packets get a <c>MALFORMED:</c> line and decoding goes on.
/// </summary>
/// <remarks>
/// Exit codes: 0 decoded (malformed packets included); 1 the file is not a pcap/pcapng capture; 2 bad arguments,
/// a file that cannot be read, or hex input that is not hex or is larger than 1 MiB. Problems inside a capture
/// (truncation, bad block lengths, lost TCP segments) are notes on stderr; what was read before them is printed.
/// </remarks>
internal static class DecodeCommand
{
    /// <summary>Largest capture file read (64 MiB).</summary>
    public const int MaxFileLength = 64 * 1024 * 1024;

    private static readonly Argument<FileInfo?> File = new("FILE")
    { HelpName = "FILE",
        Description = "pcap or pcapng capture; without it, hex is read from stdin (one packet per blank-line-separated block)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string?> Protocol = new("--protocol")
    { HelpName = "nbns|nbds|nbss",
        Description = "Decoder for hex input: nbns, nbds or nbss (default: try NBNS, then NBDS, then NBSS)",
    };

    private static readonly Option<int> NbnsPort = new("--nbns-port") { HelpName = "PORT", Description = "UDP port decoded as NBNS", DefaultValueFactory = _ => 137 };

    private static readonly Option<int> NbdsPort = new("--nbds-port") { HelpName = "PORT", Description = "UDP port decoded as NBDS", DefaultValueFactory = _ => 138 };

    private static readonly Option<int> NbssPort = new("--nbss-port") { HelpName = "PORT", Description = "TCP port decoded as NBSS", DefaultValueFactory = _ => 139 };

    public static Command Create(Output output)
    {
        var command = new Command("decode", "Decode NBNS/NBDS/NBSS packets from a pcap/pcapng file, or hex on stdin (like tshark -V, shorter)")
        {
            File, Protocol, NbnsPort, NbdsPort, NbssPort,
        };
        CommonOptions.AddOutput(command);
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        var packets = new List<DecodedPacket>();
        var notes = new List<string>();
        var settings = CliSettings.For(parse).Get<NbtDecodeOptions>();
        if (parse.GetValue(File) is { } file)
        {
            int nbns = CommonOptions.CheckPort(settings.NbnsPort, "--nbns-port", string.Empty);
            int nbds = CommonOptions.CheckPort(settings.NbdsPort, "--nbds-port", string.Empty);
            int nbss = CommonOptions.CheckPort(settings.NbssPort, "--nbss-port", string.Empty);
            byte[] bytes = ReadFile(file);
            if (!CaptureFile.LooksLikeCapture(bytes))
            {
                throw new CliException($"{file.Name}: not a pcap or pcapng capture", ExitCodes.NotFound);
            }

            DecodeCapture(bytes, nbns, nbds, nbss, packets, notes);
        }
        else
        {
            var protocol = settings.Protocol?.ToUpperInvariant() switch
            {
                null => (NbtProtocol?)null,
                "NBNS" => NbtProtocol.Nbns,
                "NBDS" => NbtProtocol.Nbds,
                "NBSS" => NbtProtocol.Nbss,
                var other => throw new CliException($"--protocol '{other?.ToLowerInvariant()}' must be nbns, nbds or nbss", ExitCodes.Usage),
            };
            var blocks = HexInput.Parse(await HexInput.ReadBoundedAsync(output.In, cancellationToken));
            for (int i = 0; i < blocks.Count; i++)
            {
                packets.AddRange(HexInput.Decode(i + 1, blocks[i], protocol));
            }
        }

        foreach (string note in notes)
        {
            output.Error($"note: {note}");
        }

        if (output.Json)
        {
            output.WriteJson(packets.Select(p => new
            {
                frame = p.Frame,
                source = p.Source == "-" ? null : p.Source,
                destination = p.Destination == "-" ? null : p.Destination,
                protocol = p.Protocol,
                kind = p.Kind,
                malformed = p.Malformed,
                fields = p.Fields,
            }));
            return ExitCodes.Ok;
        }

        foreach (var p in packets)
        {
            output.Line(FormatHeader(p));
            if (p.Malformed is not null)
            {
                output.Line($"    MALFORMED: {p.Malformed}");
            }

            foreach (string line in p.Details)
            {
                output.Line("    " + line);
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>The header line: frame, endpoints, protocol, kind, summary.</summary>
    internal static string FormatHeader(DecodedPacket p)
    {
        string where = p.Source == "-" ? string.Empty : $"{p.Source} -> {p.Destination}  ";
        return $"{p.Frame.ToString(CultureInfo.InvariantCulture),4}  {where}{p.Protocol}  {p.Kind}{(p.Summary.Length > 0 ? "  " + p.Summary : string.Empty)}";
    }

    /// <summary>Decodes every NetBIOS packet of a capture held in memory. Never throws on bad bytes.</summary>
    internal static void DecodeCapture(ReadOnlyMemory<byte> bytes, int nbnsPort, int nbdsPort, int nbssPort, List<DecodedPacket> packets, List<string> notes)
    {
        var streams = new NbssStreams();
        foreach (var record in CaptureFile.Read(bytes, notes))
        {
            var ip = IpPacket.TryParse(record, out string? note);
            if (note is not null)
            {
                notes.Add($"frame {record.Number}: {note}");
            }

            if (ip is null)
            {
                continue;
            }

            if (ip.IsTcp)
            {
                if (ip.Source.Port == nbssPort || ip.Destination.Port == nbssPort)
                {
                    packets.AddRange(streams.Add(ip, notes));
                }

                continue;
            }

            NbtProtocol? protocol = ip.Destination.Port == nbnsPort || ip.Source.Port == nbnsPort ? NbtProtocol.Nbns
                : ip.Destination.Port == nbdsPort || ip.Source.Port == nbdsPort ? NbtProtocol.Nbds
                : null;
            if (protocol is { } p)
            {
                var (kind, summary, malformed, details) = PacketFormatter.DecodeDatagram(p, ip.Payload.Span);
                packets.Add(new DecodedPacket(ip.Frame, ip.Source.ToString(), ip.Destination.ToString(), p.ToString().ToUpperInvariant(), kind, summary, malformed, details)
                {
                    Fields = PacketFields.Datagram(p, ip.Payload.Span),
                });
            }
        }
    }

    private static byte[] ReadFile(FileInfo file)
    {
        try
        {
            return BoundedFile.ReadAllBytes(file.FullName, MaxFileLength);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{file.Name}: {(ex is FileTooLargeException ? string.Empty : "cannot read: ")}{ex.Message}", ExitCodes.Usage);
        }
    }
}
