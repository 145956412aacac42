using System.Globalization;
using System.Text;
using NetBios.DatagramService;
using NetBios.Wire.Datagram;

namespace Nbt.Cli.Commands;

/// <summary>How <c>nbt listen</c>, <c>nbt node</c> and <c>nbt send</c> show and parse datagram payloads.</summary>
internal static class DatagramText
{
    /// <summary>The payload as text when it is printable UTF-8, else as hex (or always hex).</summary>
    public static string Payload(ReadOnlySpan<byte> data, bool hex)
    {
        if (!hex && IsPrintable(data))
        {
            return Encoding.UTF8.GetString(data);
        }

        return Convert.ToHexString(data).ToLowerInvariant();
    }

    /// <summary>One line: type, source name and endpoint, destination, size and payload.</summary>
    public static string Describe(ReceivedDatagram datagram, bool hex) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{TypeName(datagram.Type),-13}  {datagram.SourceName} ({datagram.Source.Address})  ->  {datagram.DestinationName}  {datagram.Data.Length} bytes  {Payload(datagram.Data.Span, hex)}");

    /// <summary>The JSON form of a received datagram.</summary>
    public static object Json(ReceivedDatagram datagram, bool hex) => new
    {
        type = TypeName(datagram.Type),
        source = NameDisplay.Json(datagram.SourceName),
        sourceAddress = datagram.Source.ToString(),
        receivedFrom = datagram.ReceivedFrom.ToString(),
        destination = NameDisplay.Json(datagram.DestinationName),
        length = datagram.Data.Length,
        text = hex || !IsPrintable(datagram.Data.Span) ? null : Encoding.UTF8.GetString(datagram.Data.Span),
        hex = Convert.ToHexString(datagram.Data.Span).ToLowerInvariant(),
    };

    public static string TypeName(DatagramMessageType type) => type switch
    {
        DatagramMessageType.DirectUnique => "DIRECT_UNIQUE",
        DatagramMessageType.DirectGroup => "DIRECT_GROUP",
        DatagramMessageType.Broadcast => "BROADCAST",
        _ => $"0x{(byte)type:X2}",
    };

    /// <summary>Parses a message given on the command line: text, or hex digits with --hex.</summary>
    public static byte[] ParseMessage(string text, bool hex)
    {
        if (!hex)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        string digits = new(text.Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray());
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new CliException("--hex: the message is not an even number of hex digits", ExitCodes.Usage);
        }
    }

    private static bool IsPrintable(ReadOnlySpan<byte> data)
    {
        if (!System.Text.Unicode.Utf8.IsValid(data))
        {
            return false;
        }

        foreach (byte b in data)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
