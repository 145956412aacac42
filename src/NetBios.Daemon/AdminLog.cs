using Microsoft.Extensions.Logging;
using NetBios.NameService;

namespace NetBios.Daemon;

/// <summary>Log lines of the administration operations (event ids 2140-2149).</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 2140, Level = LogLevel.Information, Message = "Holding {Name} on LANA {Lana} for uid {Uid} (pid {Pid}): {Outcome}")]
    public static partial void Held(ILogger logger, NetBiosName name, byte lana, uint uid, int pid, RegistrationOutcome outcome);

    [LoggerMessage(EventId = 2141, Level = LogLevel.Information, Message = "Released held name {Name} on LANA {Lana} for uid {Uid}: {Outcome}")]
    public static partial void ReleasedHeld(ILogger logger, NetBiosName name, byte lana, uint uid, ReleaseOutcome outcome);

    [LoggerMessage(EventId = 2142, Level = LogLevel.Information, Message = "Name cache of LANA {Lana} purged by uid {Uid}: {Purged} entries dropped, {Preloaded} preloaded")]
    public static partial void CachePurged(ILogger logger, byte lana, uint uid, int purged, int preloaded);

    [LoggerMessage(EventId = 2143, Level = LogLevel.Warning, Message = "Releasing held name {Name} on LANA {Lana} at stop failed")]
    public static partial void HeldReleaseFailed(ILogger logger, Exception exception, NetBiosName name, byte lana);

    [LoggerMessage(EventId = 2144, Level = LogLevel.Information, Message = "Holding {Name} on LANA {Lana} for uid {Uid} again (held before the restart)")]
    public static partial void HeldRestored(ILogger logger, NetBiosName name, byte lana, uint uid);

    [LoggerMessage(EventId = 2145, Level = LogLevel.Warning, Message = "Held name {Name} on LANA {Lana} (uid {Uid}) is no longer held after the restart: {Reason}")]
    public static partial void HeldNotRestored(ILogger logger, NetBiosName name, byte lana, uint uid, string reason);

    [LoggerMessage(EventId = 2146, Level = LogLevel.Error, Message = "Held-names file {Path} is unusable ({Problem}); starting without held names, the file moved to: {Aside}")]
    public static partial void HeldFileUnusable(ILogger logger, string path, string problem, string aside);

    [LoggerMessage(EventId = 2147, Level = LogLevel.Warning, Message = "Cache purge on LANA {Lana}: the LMHOSTS file could not be read again ({Problem}); its entries read before are kept")]
    public static partial void LmhostsNotReloaded(ILogger logger, byte lana, string problem);

    [LoggerMessage(EventId = 2148, Level = LogLevel.Information, Message = "WINS record {Name} (version {Version}) deleted by uid {Uid}")]
    public static partial void WinsRecordDeleted(ILogger logger, NetBiosName name, long version, uint uid);

    [LoggerMessage(EventId = 2149, Level = LogLevel.Warning, Message = "Held name {Name} on LANA {Lana} (uid {Uid}): its name server did not answer; registering it again in {Delay} (and later, until it answers)")]
    public static partial void HeldRetrying(ILogger logger, NetBiosName name, byte lana, uint uid, TimeSpan delay);
}
