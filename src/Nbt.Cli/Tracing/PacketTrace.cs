using System.Net;
using Nbt.Cli.Capture;
using Nbt.Cli.Commands;

namespace Nbt.Cli.Tracing;

/// <summary>
/// The packet trace of <c>-vv</c>: one line on stderr for every NBNS, NBDS and NBSS packet sent or received, in
/// <c>nbt decode</c>'s header-line format (a running number, source -> destination, protocol, kind, summary), so a
/// trace reads like a decoded capture. Thread-safe; never throws on bad bytes (the codecs report them as MALFORMED).
/// </summary>
internal sealed class PacketTrace(TextWriter writer)
{
    private readonly Lock _gate = new();
    private int _number;

    /// <summary>Traces one UDP datagram.</summary>
    /// <param name="protocol">NBNS (name service socket) or NBDS (datagram service socket).</param>
    /// <param name="source">Who sent it.</param>
    /// <param name="destination">Where it went.</param>
    /// <param name="payload">The datagram.</param>
    public void Datagram(NbtProtocol protocol, IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload)
    {
        var (kind, summary, malformed, _) = PacketFormatter.DecodeDatagram(protocol, payload);
        Write(protocol, source, destination, kind, summary, malformed);
    }

    /// <summary>Traces one session service frame already decoded by <see cref="PacketFormatter"/>.</summary>
    public void Write(NbtProtocol protocol, IPEndPoint source, IPEndPoint destination, string kind, string summary, string? malformed)
    {
        lock (_gate)
        {
            int number = ++_number;
            var packet = new DecodedPacket(number, source.ToString(), destination.ToString(), protocol.ToString().ToUpperInvariant(), kind, summary, malformed, []);
            writer.WriteLine(DecodeCommand.FormatHeader(packet) + (malformed is null ? string.Empty : $"  MALFORMED: {malformed}"));
        }
    }
}
