using System.Text;
using NetBios.SessionService;

namespace Nbt.Cli.Commands;

/// <summary>Session outcomes in words, and the line-per-message pump shared by <c>nbt call</c>, <c>nbt serve</c> and <c>nbt node</c>.</summary>
internal static class SessionText
{
    /// <summary>Why a call failed, in words, with the negative response code when there was one.</summary>
    public static string Explain(SessionCallResult result)
    {
        string code = result.ErrorCode is { } error ? $"negative session response 0x{error:X2}: " : string.Empty;
        string words = result.Outcome switch
        {
            SessionCallOutcome.NotListeningOnCalledName => "not listening on called name",
            SessionCallOutcome.NotListeningForCallingName => "not listening for calling name",
            SessionCallOutcome.CalledNameNotPresent => "called name not present",
            SessionCallOutcome.InsufficientResources => "called name present, but insufficient resources",
            SessionCallOutcome.Unspecified => "unspecified error",
            SessionCallOutcome.NameNotFound => "the called name was not found",
            SessionCallOutcome.Unreachable => "no answer on the session port (refused or unreachable)",
            SessionCallOutcome.RetargetLoop => "retargets went round in a loop (or more than 4)",
            SessionCallOutcome.Timeout => "no session response in time",
            SessionCallOutcome.InvalidResponse => "the peer answered with something that is not a session response",
            SessionCallOutcome.LocalSessionTableFull => "the local session table is full",
            _ => result.Outcome.ToString(),
        };
        return code + words + (result.EndPoint is { } at ? $" (at {at})" : string.Empty);
    }

    /// <summary>
    /// Carries lines over a session until either side ends it: each line read from <paramref name="input"/> is sent as
    /// one message; each message received is written as one line to <paramref name="output"/>.
    /// </summary>
    /// <returns>The session's end as the receiving side saw it.</returns>
    public static async Task<SessionIoStatus> PumpAsync(NbssSession session, TextReader input, Output output, bool closeOnEndOfInput, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveLinesAsync(session, output, stop.Token);
        // Console.In reads synchronously even through ReadLineAsync: the input loop gets a thread of its own so that
        // the session's end is seen while a read is still waiting for a line.
        var sending = Task.Run(() => SendLinesAsync(session, input, stop.Token), CancellationToken.None);
        if (await Task.WhenAny(receiving, sending) == sending && closeOnEndOfInput)
        {
            await session.HangUpAsync();
        }

        var end = await receiving;
        await stop.CancelAsync(); // a send still waiting for a line of input is abandoned: the command ends with the session
        return end;
    }

    private static async Task SendLinesAsync(NbssSession session, TextReader input, CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (await session.SendAsync(Encoding.UTF8.GetBytes(line), cancellationToken) != SessionIoStatus.Ok)
            {
                return;
            }
        }
    }

    /// <summary>Prints every message of a session (one line each, prefixed) until it ends.</summary>
    public static Task<SessionIoStatus> ShowAsync(NbssSession session, Output output, CancellationToken cancellationToken) =>
        ReceiveLinesAsync(session, output, cancellationToken, $"session  {session.RemoteName} -> {session.LocalName}  ");

    private static async Task<SessionIoStatus> ReceiveLinesAsync(NbssSession session, Output output, CancellationToken cancellationToken, string prefix = "")
    {
        byte[] buffer = new byte[131_071];
        while (true)
        {
            SessionReceiveResult result;
            try
            {
                result = await session.ReceiveAsync(buffer, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return SessionIoStatus.Cancelled;
            }

            if (result.Status is SessionIoStatus.Ok or SessionIoStatus.Incomplete)
            {
                output.Line(prefix + DatagramText.Payload(buffer.AsSpan(0, result.BytesReceived), hex: false));
                await output.Out.FlushAsync(cancellationToken);
                continue;
            }

            return result.Status;
        }
    }
}
