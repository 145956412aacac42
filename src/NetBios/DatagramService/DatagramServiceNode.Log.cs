using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.NameService;
using NetBios.Wire.Datagram;

namespace NetBios.DatagramService;

public sealed partial class DatagramServiceNode
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Dropped a malformed datagram service packet from {Source}: {Reason}")]
        public static partial void Malformed(ILogger logger, IPEndPoint source, DatagramDecodeError reason);

        [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Datagram for {Name}, which is not here, from {Source}")]
        public static partial void NotForUs(ILogger logger, NetBiosName name, IPEndPoint source);

        [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Refused a fragment of datagram 0x{DatagramId:X4} from {Source} (offset {Offset}, {Length} bytes)")]
        public static partial void FragmentRejected(ILogger logger, ushort datagramId, IPEndPoint source, int offset, int length);

        [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "DATAGRAM ERROR {Code} from {Source} for datagram 0x{DatagramId:X4}")]
        public static partial void ErrorReceived(ILogger logger, DatagramErrorCode code, IPEndPoint source, ushort datagramId);

        [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Ignored a {Type} packet from {Source}")]
        public static partial void Ignored(ILogger logger, DatagramMessageType type, IPEndPoint source);

        [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "{Type} {Source} -> {Destination}: {Length} bytes, from {From}, delivered {Delivered}")]
        public static partial void Received(ILogger logger, DatagramMessageType type, NetBiosName source, NetBiosName destination, int length, IPEndPoint from, bool delivered);

        [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Sent {Type} {Source} -> {Destination}: {Length} bytes in {Fragments} packet(s) to {Targets} destination(s)")]
        public static partial void Sent(ILogger logger, DatagramMessageType type, NetBiosName source, NetBiosName destination, int length, int fragments, int targets);

        [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "Datagram not sent: {Name} was not resolved ({Outcome})")]
        public static partial void NotResolved(ILogger logger, NetBiosName name, QueryOutcome outcome);

        [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Datagram service receive error")]
        public static partial void ReceiveError(ILogger logger, Exception exception);
    }
}
