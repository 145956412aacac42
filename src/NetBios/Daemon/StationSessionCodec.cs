using NetBios.SessionService;

namespace NetBios.Daemon;

/// <summary>Bodies of the session operations (docs/IPC.md "Station operations"; [RFC 1002] 5.3 session establishment
/// and data transfer): a session's description, the call and listen results, and the receive result. The readers never
/// throw.</summary>
internal static class StationSessionCodec
{
    /// <summary>The longest message a session carries ([RFC 1002] 4.3.1: 17-bit length).</summary>
    public const int MaxMessageLength = 131_071;

    /// <summary>A session: handle (u32) | local name | remote name | caller (u8) | remote (endpoint) | state (u8).</summary>
    public static void WriteSession(StationBodyWriter writer, uint handle, NbssSession session) =>
        writer.U32(handle).Name(session.LocalName).Name(session.RemoteName).Bool(session.IsCaller)
            .EndPoint(session.RemoteEndPoint).U8((byte)session.State);

    /// <summary>CALL result: outcome (u8) | error code flag + u8 | the session when connected.</summary>
    public static byte[] WriteCall(SessionCallOutcome outcome, byte? errorCode, uint handle, NbssSession? session)
    {
        var writer = new StationBodyWriter().U8((byte)outcome).Bool(errorCode.HasValue).U8(errorCode ?? 0);
        if (session is not null)
        {
            WriteSession(writer, handle, session);
        }

        return writer.ToArray();
    }

    /// <summary>LISTEN result: outcome (u8) | the session when connected.</summary>
    public static byte[] WriteListen(SessionListenOutcome outcome, uint handle, NbssSession? session)
    {
        var writer = new StationBodyWriter().U8((byte)outcome);
        if (session is not null)
        {
            WriteSession(writer, handle, session);
        }

        return writer.ToArray();
    }

    /// <summary>Reads a CALL result.</summary>
    public static bool TryReadCall(ReadOnlySpan<byte> body, out SessionCallOutcome outcome, out byte? errorCode, out StationSessionInfo? session)
    {
        var reader = new StationBodyReader(body);
        outcome = reader.Enum<SessionCallOutcome>();
        bool hasCode = reader.Bool();
        byte code = reader.U8();
        errorCode = hasCode ? code : null;
        session = reader.Ok && reader.Remaining > 0 ? ReadSession(ref reader) : null;
        return reader.Complete && (outcome == SessionCallOutcome.Connected) == (session is not null);
    }

    /// <summary>Reads a LISTEN result.</summary>
    public static bool TryReadListen(ReadOnlySpan<byte> body, out SessionListenOutcome outcome, out StationSessionInfo? session)
    {
        var reader = new StationBodyReader(body);
        outcome = reader.Enum<SessionListenOutcome>();
        session = reader.Ok && reader.Remaining > 0 ? ReadSession(ref reader) : null;
        return reader.Complete && (outcome == SessionListenOutcome.Connected) == (session is not null);
    }

    /// <summary>RECEIVE result: status (u8) | the bytes received (the rest).</summary>
    public static byte[] WriteReceive(SessionIoStatus status, ReadOnlySpan<byte> data)
    {
        byte[] body = new byte[1 + data.Length];
        body[0] = (byte)status;
        data.CopyTo(body.AsSpan(1));
        return body;
    }

    private static StationSessionInfo? ReadSession(ref StationBodyReader reader)
    {
        uint handle = reader.U32();
        var local = reader.Name();
        var remote = reader.Name();
        bool caller = reader.Bool();
        var endPoint = reader.EndPoint();
        var state = reader.Enum<SessionState>();
        if (!reader.Ok || endPoint is null)
        {
            reader.Fail();
            return null;
        }

        return new StationSessionInfo(handle, local, remote, caller, endPoint, state);
    }
}
