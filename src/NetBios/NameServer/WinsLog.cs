using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.Wire.NameService;

namespace NetBios.NameServer;

/// <summary>The name server's log messages (event IDs 500–519).</summary>
internal static partial class WinsLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "WINS: registered {Name} ({Type}) for {Address}, ttl {Ttl} s")]
    public static partial void Registered(ILogger logger, NetBiosName name, WinsRecordType type, IPAddress address, uint ttl);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "WINS: refused {Name} to {Source}: {Rcode}")]
    public static partial void Refused(ILogger logger, NetBiosName name, IPEndPoint source, NameServiceRcode rcode);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "WINS: challenging {Owner} for {Name} (claimed by {Source})")]
    public static partial void Challenging(ILogger logger, NetBiosName name, IPAddress owner, IPEndPoint source);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "WINS: {Name} released by {Source}")]
    public static partial void Released(ILogger logger, NetBiosName name, IPEndPoint source);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "WINS: ignored a release of {Name} from {Source}, which holds no part of it")]
    public static partial void ReleaseIgnored(ILogger logger, NetBiosName name, IPEndPoint source);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "WINS: store failure on {Name}")]
    public static partial void StoreFailure(ILogger logger, NetBiosName name, Exception exception);

    [LoggerMessage(EventId = 506, Level = LogLevel.Debug, Message = "WINS: version conflict on {Name} (another server wrote it); deciding again")]
    public static partial void VersionConflict(ILogger logger, NetBiosName name);

    [LoggerMessage(EventId = 507, Level = LogLevel.Information, Message = "WINS: scavenger moved {Count} record(s) on")]
    public static partial void Scavenged(ILogger logger, int count);

    [LoggerMessage(EventId = 508, Level = LogLevel.Warning, Message = "WINS: burst mode, {Pending} requests pending; answering at once with ttl {Ttl}")]
    public static partial void Burst(ILogger logger, int pending, TimeSpan ttl);

    [LoggerMessage(EventId = 509, Level = LogLevel.Information, Message = "WINS: refreshed {Name} for {Address}, ttl {Ttl} s")]
    public static partial void Refreshed(ILogger logger, NetBiosName name, IPAddress address, uint ttl);

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "WINS hook {Program} killed after {Timeout}")]
    public static partial void HookTimedOut(ILogger logger, string program, TimeSpan timeout);

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "WINS hook {Program} exited with {ExitCode}")]
    public static partial void HookFailed(ILogger logger, string program, int exitCode);

    [LoggerMessage(EventId = 512, Level = LogLevel.Warning, Message = "WINS hook {Program} could not run")]
    public static partial void HookError(ILogger logger, string program, Exception exception);

    [LoggerMessage(EventId = 513, Level = LogLevel.Error, Message = "WINS: request about {Name} failed")]
    public static partial void RequestFailed(ILogger logger, NetBiosName name, Exception exception);
}
