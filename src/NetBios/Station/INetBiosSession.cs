using System.Net;
using NetBios.SessionService;

namespace NetBios.Station;

/// <summary>
/// One NetBIOS session ([RFC 1001] 16, [RFC 1002] 4.3 / 5.3) as a program uses it, whether the station runs in this
/// process (<see cref="NbssSession"/>) or in nbtd (<see cref="Daemon.NetBiosDaemonStation"/>'s sessions).
/// </summary>
public interface INetBiosSession : IAsyncDisposable
{
    /// <summary>The session's number (embedded: within its service; through nbtd: within the client's connection).</summary>
    int Id { get; }

    /// <summary>This side's name (the calling name for a caller, the called name for a listener).</summary>
    NetBiosName LocalName { get; }

    /// <summary>The peer's name.</summary>
    NetBiosName RemoteName { get; }

    /// <summary>True when this side called; false when it listened.</summary>
    bool IsCaller { get; }

    /// <summary>The peer's address and port.</summary>
    IPEndPoint RemoteEndPoint { get; }

    /// <summary>The current state (through nbtd: the last state the daemon reported).</summary>
    SessionState State { get; }

    /// <summary>Completes when the session has ended (closed or aborted).</summary>
    Task Completion { get; }

    /// <summary>Sends one message ([RFC 1002] 4.3.6 SESSION MESSAGE).</summary>
    /// <param name="message">0..131071 bytes.</param>
    /// <param name="cancellationToken">Cancels the send; a send cancelled once it has started aborts the session.</param>
    /// <returns><see cref="SessionIoStatus.Ok"/>, or why it failed.</returns>
    ValueTask<SessionIoStatus> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>Receives the next message or the next piece of one ([RFC 1002] 5.3.3): <see cref="SessionIoStatus.Incomplete"/>
    /// when the buffer filled first, and the next receive continues the same message.</summary>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the receive while no byte has been delivered into it.</param>
    /// <returns>The status and the byte count (through nbtd <see cref="SessionReceiveResult.Session"/> is null).</returns>
    ValueTask<SessionReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Hangs up ([RFC 1002] 5.3.4): pending sends finish, then the session closes.</summary>
    /// <returns>The session's final state.</returns>
    ValueTask<SessionState> HangUpAsync();

    /// <summary>Ends the session at once (a TCP reset); pending operations complete with <see cref="SessionIoStatus.Aborted"/>.</summary>
    void Abort();
}
