using System.Net;
using Microsoft.Extensions.Logging;

namespace Nbtd;

/// <summary>nbtd's log messages (event IDs 9000-9099).</summary>
internal static partial class NbtdLog
{
    [LoggerMessage(9000, LogLevel.Information, "LANA {Lana}: {NodeType}-node on {Address} (name service {NameService}, datagrams {Datagrams}, sessions {Sessions})")]
    public static partial void StationBound(ILogger logger, byte lana, string nodeType, IPAddress address, IPEndPoint nameService, IPEndPoint datagrams, string sessions);

    [LoggerMessage(9001, LogLevel.Information, "WINS server on LANA {Lana} ({Endpoint}, store {Store})")]
    public static partial void WinsStarted(ILogger logger, byte lana, IPEndPoint endpoint, string store);

    [LoggerMessage(9002, LogLevel.Debug, "LANA {Lana}: registered {Name}{Kind}")]
    public static partial void NameRegistered(ILogger logger, byte lana, string name, string kind);

    [LoggerMessage(9003, LogLevel.Warning, "LANA {Lana}: {Name} not registered: {Outcome} {Detail}")]
    public static partial void NameNotRegistered(ILogger logger, byte lana, string name, string outcome, string detail);

    [LoggerMessage(9004, LogLevel.Information, "nbtd ready: {Stations} station(s), {Names} name(s) registered")]
    public static partial void Ready(ILogger logger, int stations, int names);

    [LoggerMessage(9005, LogLevel.Information, "stopping: releasing the names of {Stations} station(s)")]
    public static partial void Stopping(ILogger logger, int stations);

    [LoggerMessage(9006, LogLevel.Warning, "stopping took longer than {Timeout}; not every name may have been released")]
    public static partial void StopTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(9007, LogLevel.Information, "stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(9008, LogLevel.Error, "stopping {What} failed")]
    public static partial void StopFailed(ILogger logger, string what, Exception exception);

    [LoggerMessage(9009, LogLevel.Information, "serving local programs on {SocketPath}")]
    public static partial void Serving(ILogger logger, string socketPath);

    [LoggerMessage(9010, LogLevel.Information, "holding {Count} name(s) again for nbt register (from {Path})")]
    public static partial void HeldNamesRestored(ILogger logger, int count, string path);

    [LoggerMessage(9011, LogLevel.Warning, "cannot write the held-names file {Path} ({Problem}): held names will not survive a restart")]
    public static partial void HeldNamesNotSaved(ILogger logger, string path, string problem);
}
