using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.Wire.NameService;

namespace NetBios.NameService;

/// <summary>The name service's log messages (event IDs 100–119), shared by the endpoint and the node's parts.</summary>
internal static partial class NameServiceLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Dropped {Count} malformed name service packet(s) since the last report; latest from {Source}: {Reason}")]
    public static partial void MalformedPacket(ILogger logger, IPEndPoint source, NameServiceDecodeError reason, long count);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Ignored {Count} unsolicited response(s) since the last report; latest {Kind} from {Source} (transaction 0x{TransactionId:X4})")]
    public static partial void Unsolicited(ILogger logger, NameServicePacketKind kind, IPEndPoint source, ushort transactionId, long count);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Registered {Name}{Scope} ttl {Ttl}")]
    public static partial void Registered(ILogger logger, NetBiosName name, string scope, TimeSpan ttl);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Name {Name} is in conflict: owned by {Owner}")]
    public static partial void Conflict(ILogger logger, NetBiosName name, IPAddress? owner);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Defended our names {Count} time(s) since the last report; latest {Name} against {Kind} from {Source}")]
    public static partial void Defended(ILogger logger, NetBiosName name, NameServicePacketKind kind, IPEndPoint source, long count);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Released {Name}")]
    public static partial void Released(ILogger logger, NetBiosName name);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Refreshed {Name}: {Outcome}")]
    public static partial void Refreshed(ILogger logger, NetBiosName name, RegistrationOutcome outcome);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Name service receive error; the loop goes on")]
    public static partial void ReceiveError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "Refused release of our name {Name} from {Source}")]
    public static partial void RefusedRelease(ILogger logger, NetBiosName name, IPEndPoint source);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Waiting {Wait} after a WACK from {Source} for {Name}")]
    public static partial void Wack(ILogger logger, NetBiosName name, IPEndPoint source, TimeSpan wait);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "Suspected attack: {Count} unsolicited responses (wrong transaction ID, source or name) since the last report, at most {Interval} ago; latest {Kind} from {Source}")]
    public static partial void SuspectedAttack(ILogger logger, long count, TimeSpan interval, NameServicePacketKind kind, IPEndPoint source);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning,
        Message = "{Count} claim(s) on our names were not confirmed by the claimed owner and were ignored since the last report; latest {Name} by {Claimant} ({Kind})")]
    public static partial void UnconfirmedClaim(ILogger logger, NetBiosName name, IPAddress claimant, NameServicePacketKind kind, long count);
}
