using System.Net;
using Microsoft.Extensions.Logging;
using NetBios.Wire.Session;

namespace NetBios.SessionService;

/// <summary>Log messages of the session service ([RFC 1002] 4.3, 5.3); event ids 300–349.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Session service listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Refused a connection from {Remote}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Malformed session request from {Remote}: {Error}")]
    public static partial void MalformedRequest(ILogger logger, IPEndPoint remote, SessionFrameError error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "Unexpected {Type} from {Remote} before the session request")]
    public static partial void UnexpectedBeforeRequest(ILogger logger, SessionPacketType type, IPEndPoint remote);

    [LoggerMessage(EventId = 304, Level = LogLevel.Debug, Message = "Session request {Calling} -> {Called} from {Remote}: negative 0x{Code:X2}")]
    public static partial void NegativeSent(ILogger logger, NetBiosName calling, NetBiosName called, IPEndPoint remote, byte code);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "Session {Id} established: {Local} <- {Remote} ({EndPoint})")]
    public static partial void Accepted(ILogger logger, int id, NetBiosName local, NetBiosName remote, IPEndPoint endPoint);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Session {Id} established: {Local} -> {Remote} ({EndPoint})")]
    public static partial void Called(ILogger logger, int id, NetBiosName local, NetBiosName remote, IPEndPoint endPoint);

    [LoggerMessage(EventId = 307, Level = LogLevel.Debug, Message = "Call {Calling} -> {Called} at {EndPoint}: {Outcome}")]
    public static partial void CallFailed(ILogger logger, NetBiosName calling, NetBiosName called, IPEndPoint endPoint, SessionCallOutcome outcome);

    [LoggerMessage(EventId = 308, Level = LogLevel.Debug, Message = "Call to {Called}: retargeted from {From} to {To}")]
    public static partial void Retargeted(ILogger logger, NetBiosName called, IPEndPoint from, IPEndPoint to);

    [LoggerMessage(EventId = 309, Level = LogLevel.Debug, Message = "Session {Id}: bad frame from the peer ({Error}); aborting")]
    public static partial void BadFrame(ILogger logger, int id, SessionFrameError error);

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "Session {Id}: unexpected {Type} from the peer; aborting")]
    public static partial void UnexpectedFrame(ILogger logger, int id, SessionPacketType type);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "Session {Id} ended: {State}")]
    public static partial void Ended(ILogger logger, int id, SessionState state);

    [LoggerMessage(EventId = 312, Level = LogLevel.Debug, Message = "Connection {Remote} reaped: its deadline passed")]
    public static partial void Reaped(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "Session service accept loop failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 314, Level = LogLevel.Debug, Message = "Connection from {Remote} failed during the handshake")]
    public static partial void HandshakeFailed(ILogger logger, IPEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 315, Level = LogLevel.Information, Message = "Session service full: evicted {Count} idle connection(s) in the last {Interval} to admit new callers (last: {Remote})")]
    public static partial void Evicted(ILogger logger, long count, IPEndPoint remote, TimeSpan interval);

    [LoggerMessage(EventId = 316, Level = LogLevel.Debug, Message = "Session request {Calling} -> {Called} from {Remote} waits for a listen")]
    public static partial void RequestQueued(ILogger logger, NetBiosName calling, NetBiosName called, IPEndPoint remote);
}
