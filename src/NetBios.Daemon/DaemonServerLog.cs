using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetBios.NcbInterface;

namespace NetBios.Daemon;

/// <summary>Log lines of the daemon's IPC server (event ids 2100-2119).</summary>
internal static partial class DaemonServerLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "NetBIOS daemon listening on {Path} (mode {Mode}, group {Group}), {LanaCount} LANA(s)")]
    public static partial void Listening(ILogger logger, string path, string mode, string group, int lanaCount);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Accepting a client failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Client pid {Pid} uid {Uid} gid {Gid} connected, permissions {Permissions}")]
    public static partial void Connected(ILogger logger, int pid, uint uid, uint gid, NetBiosDaemonPermissions permissions);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Client pid {Pid} uid {Uid} ended ({Reason}); its names, sessions and NCBs released in {Milliseconds} ms")]
    public static partial void Released(ILogger logger, int pid, uint uid, string reason, long milliseconds);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Client pid {Pid} uid {Uid} ended: {Reason} ({Count} such event(s) since the last line)")]
    public static partial void Misbehaved(ILogger logger, int pid, uint uid, string reason, long count);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Client pid {Pid} uid {Uid} refused {Command}: not allowed by the access policy")]
    public static partial void Refused(ILogger logger, int pid, uint uid, NcbCommand command);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Releasing what client pid {Pid} held failed")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, int pid);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Request 0x{Operation:X4} of client pid {Pid} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, int pid, ushort operation);
}
