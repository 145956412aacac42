using System.Buffers;
using System.Globalization;
using NetBios.Wire.Session;

namespace Nbt.Cli.Capture;

/// <summary>
/// Hex packets typed or pasted on stdin for <c>nbt decode</c>. One packet per block; blocks are separated by blank lines.
/// </summary>
/// <remarks>
/// Accepted in each line: hex digit pairs, separated or not by whitespace, <c>:</c>, <c>,</c> or <c>-</c>, each
/// optionally prefixed by <c>0x</c>; text after <c>#</c> is a comment. Offset columns are dropped: a first token of
/// hex digits ending in <c>:</c> (<c>xxd</c>: its text column after two spaces is dropped too), or an 8-digit first
/// token followed by two spaces (<c>hexdump -C</c>: its <c>|…|</c> column and its final offset-only line are dropped).
/// Input is bounded to <see cref="MaxInputChars"/> characters.
/// </remarks>
internal static class HexInput
{
    /// <summary>Largest input read: 1 MiB of characters.</summary>
    public const int MaxInputChars = 1024 * 1024;

    /// <summary>Reads at most <see cref="MaxInputChars"/> characters; more is a usage error.</summary>
    public static async Task<string> ReadBoundedAsync(TextReader reader, CancellationToken cancellationToken)
    {
        char[] buffer = new char[MaxInputChars + 1];
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        if (total > MaxInputChars)
        {
            throw new CliException($"hex input is larger than {MaxInputChars} characters", ExitCodes.Usage);
        }

        return new string(buffer, 0, total);
    }

    /// <summary>Parses the blocks; a bad character is a usage error naming its line.</summary>
    public static List<byte[]> Parse(string text)
    {
        var blocks = new List<byte[]>();
        var current = new List<byte>();
        string[] lines = text.Split('\n');
        bool hexdump = false;
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            line = line.TrimEnd('\r').Trim();
            if (line.Length == 0)
            {
                if (current.Count > 0)
                {
                    blocks.Add([.. current]);
                    current.Clear();
                }

                hexdump = false;
                continue;
            }

            line = StripOffsets(line, ref hexdump);
            string digits = Normalise(line, n + 1);
            for (int i = 0; i + 1 < digits.Length; i += 2)
            {
                current.Add(byte.Parse(digits.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        if (current.Count > 0)
        {
            blocks.Add([.. current]);
        }

        if (blocks.Count == 0)
        {
            throw new CliException("no hex on stdin (give a capture file, or pipe hex in)", ExitCodes.Usage);
        }

        return blocks;
    }

    /// <summary>Decodes one hex block with the chosen decoder, or the first of NBNS, NBDS, NBSS that accepts it.</summary>
    public static List<DecodedPacket> Decode(int block, byte[] bytes, NbtProtocol? protocol)
    {
        if (protocol is { } chosen)
        {
            return DecodeAs(block, bytes, chosen, auto: false);
        }

        var reasons = new List<string>();
        foreach (var candidate in (ReadOnlySpan<NbtProtocol>)[NbtProtocol.Nbns, NbtProtocol.Nbds, NbtProtocol.Nbss])
        {
            var result = DecodeAs(block, bytes, candidate, auto: true);
            // An NBNS packet with an unknown opcode or shape is more likely another protocol's bytes.
            if (result.Count > 0 && result.All(p => p.Malformed is null) && !result[0].Kind.StartsWith("unknown", StringComparison.Ordinal))
            {
                return result;
            }

            reasons.Add($"{candidate.ToString().ToUpperInvariant()}: {(result.Count == 0 ? "incomplete frame" : result.FirstOrDefault(p => p.Malformed is not null)?.Malformed ?? result[0].Kind)}");
        }

        return [new DecodedPacket(block, "-", "-", "?", "malformed", $"{bytes.Length} bytes", "no decoder accepts it (" + string.Join("; ", reasons) + ")", [])];
    }

    private static List<DecodedPacket> DecodeAs(int block, byte[] bytes, NbtProtocol protocol, bool auto)
    {
        string name = protocol.ToString().ToUpperInvariant() + (auto ? " (auto)" : string.Empty);
        if (protocol != NbtProtocol.Nbss)
        {
            var (kind, summary, malformed, details) = PacketFormatter.DecodeDatagram(protocol, bytes);
            return [new DecodedPacket(block, "-", "-", name, kind, summary, malformed, details) { Fields = PacketFields.Datagram(protocol, bytes) }];
        }

        // A block may hold several session frames back to back (a piece of a TCP stream).
        var result = new List<DecodedPacket>();
        var scanner = new NbssFrameScanner();
        int start = 0;
        while (start < bytes.Length)
        {
            var status = scanner.TryRead(new ReadOnlySequence<byte>(bytes, start, bytes.Length - start), out var frame, out long consumed, out var error);
            if (status == OperationStatus.Done)
            {
                var (kind, summary, malformed, details) = PacketFormatter.DecodeNbssFrame(frame);
                result.Add(new DecodedPacket(block, "-", "-", name, kind, summary, malformed, details) { Fields = PacketFields.Nbss(frame) });
                start += (int)consumed;
                continue;
            }

            string reason = status == OperationStatus.InvalidData ? error.ToString() : $"incomplete frame ({bytes.Length - start} bytes left)";
            result.Add(new DecodedPacket(block, "-", "-", name, "malformed", $"{bytes.Length - start} bytes", reason, []));
            break;
        }

        return result;
    }

    private static string StripOffsets(string line, ref bool hexdump)
    {
        int space = line.IndexOfAny([' ', '\t']);
        string first = space < 0 ? line : line[..space];
        if (first.Length >= 5 && first[^1] == ':' && IsHex(first.AsSpan(0, first.Length - 1)))
        {
            // xxd: "00000010: 4142 4344  ABCD" — the text column follows two spaces.
            string rest = space < 0 ? string.Empty : line[(space + 1)..];
            int text = rest.IndexOf("  ", StringComparison.Ordinal);
            return text < 0 ? rest : rest[..text];
        }

        if (first.Length == 8 && IsHex(first) && (hexdump || (space >= 0 && line.AsSpan(space).StartsWith("  "))))
        {
            // hexdump -C: "00000010  41 42 43 44 ...  |ABCD|", ending with a line holding the length alone.
            hexdump = true;
            string rest = space < 0 ? string.Empty : line[(space + 1)..];
            int bar = rest.IndexOf('|', StringComparison.Ordinal);
            return bar < 0 ? rest : rest[..bar];
        }

        return line;
    }

    private static string Normalise(string line, int lineNumber)
    {
        var digits = new System.Text.StringBuilder(line.Length);
        foreach (string token in line.Split([' ', '\t', ':', ',', '-'], StringSplitOptions.RemoveEmptyEntries))
        {
            string t = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token;
            if (t.Length == 0 || t.Length % 2 != 0 || !IsHex(t))
            {
                throw new CliException($"stdin line {lineNumber}: '{(token.Length > 20 ? token[..20] + "…" : token)}' is not hex byte pairs", ExitCodes.Usage);
            }

            digits.Append(t);
        }

        return digits.ToString();
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
