namespace NetBios.SessionService;

/// <summary>The result of a receive ([RFC 1002] 5.3.3).</summary>
/// <param name="Status">How it ended.</param>
/// <param name="BytesReceived">Bytes written into the buffer.</param>
/// <param name="Session">The session the bytes (or the close) came from; null when the receive ended without one (cancelled, service stopped).</param>
public readonly record struct SessionReceiveResult(SessionIoStatus Status, int BytesReceived, NbssSession? Session);
