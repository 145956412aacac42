using System.CommandLine;
using System.Text;
using NetBios.SessionService;
using NetBios.Station;

namespace Nbt.Cli.Commands;

/// <summary>
/// Carries standard input and output over a session, for <c>nbt call</c> and <c>nbt serve</c>: a line per message, or
/// (<c>--binary</c>, netcat style) the bytes as they come; and prints what a session brings, for <c>nbt node</c>.
/// </summary>
internal static class SessionPump
{
    /// <summary>In binary mode each read of standard input, up to this many bytes, is sent as one session message.</summary>
    public const int BinaryChunkSize = 65_536;

    /// <summary><c>--binary</c> of <c>nbt call</c> and <c>nbt serve</c>.</summary>
    public static readonly Option<bool> Binary = new("--binary")
    {
        Description = "Carry bytes, not lines (netcat style): each read of stdin (at most 64 KiB) is one message, and messages received are written to stdout as they are",
    };

    /// <summary>
    /// The rest of <c>nbt call</c> and <c>nbt serve</c> once the session is up: the pump (lines, or bytes with
    /// <c>--binary</c>) until either side ends the session.
    /// </summary>
    /// <returns>The exit code: 0 when the session was closed, <see cref="ExitCodes.Network"/> when it was aborted.</returns>
    public static async Task<int> CarryAsync(ParseResult parse, INetBiosSession session, Output output, CancellationToken cancellationToken)
    {
        var end = Configuration.CliSettings.For(parse).Get<Configuration.NbtSessionPumpOptions>().Binary
            ? await BytesAsync(session, output.BinaryIn, output.BinaryOut, cancellationToken)
            : await LinesAsync(session, output.In, output, cancellationToken);
        output.Info(end == SessionIoStatus.Aborted ? "session aborted" : "session closed");
        return end == SessionIoStatus.Aborted ? ExitCodes.Network : ExitCodes.Ok;
    }

    /// <summary>Each line of <paramref name="input"/> is one message; each message received is one line of <paramref name="output"/>.</summary>
    /// <returns>The session's end as the receiving side saw it.</returns>
    public static Task<SessionIoStatus> LinesAsync(INetBiosSession session, TextReader input, Output output, CancellationToken cancellationToken)
    {
        return RunAsync(session, ReadLineAsync, (message, token) => WriteLineAsync(output, string.Empty, message, token), cancellationToken);

        async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken token)
        {
            if (await input.ReadLineAsync(token).ConfigureAwait(false) is not { } line)
            {
                return null; // (not "line is null ? null : bytes": a null byte[] converts to an empty message, not to the end)
            }

            return Encoding.UTF8.GetBytes(line);
        }
    }

    /// <summary>
    /// Bytes both ways, message boundaries not kept: each read of <paramref name="input"/> (at most
    /// <see cref="BinaryChunkSize"/> bytes) is one message; each message received is written to <paramref name="output"/> as it is.
    /// </summary>
    /// <returns>The session's end as the receiving side saw it.</returns>
    public static Task<SessionIoStatus> BytesAsync(INetBiosSession session, Stream input, Stream output, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[BinaryChunkSize];
        return RunAsync(session, ReadChunkAsync, WriteAsync, cancellationToken);

        async ValueTask<ReadOnlyMemory<byte>?> ReadChunkAsync(CancellationToken token)
        {
            int read = await input.ReadAsync(chunk, token).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            return chunk.AsMemory(0, read);
        }

        async ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken token)
        {
            await output.WriteAsync(message, token).ConfigureAwait(false);
            await output.FlushAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>Prints every message of a session (one line each, prefixed with the names) until it ends.</summary>
    public static Task<SessionIoStatus> ShowAsync(INetBiosSession session, Output output, CancellationToken cancellationToken)
    {
        string prefix = $"session  {session.RemoteName} -> {session.LocalName}  ";
        return ReceiveAllAsync(session, (message, token) => WriteLineAsync(output, prefix, message, token), cancellationToken);
    }

    /// <summary>
    /// Sends what <paramref name="read"/> gives (null: end of input, which hangs up) while writing every message
    /// received, until either side ends the session.
    /// </summary>
    private static async Task<SessionIoStatus> RunAsync(INetBiosSession session, Func<CancellationToken, ValueTask<ReadOnlyMemory<byte>?>> read,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAllAsync(session, write, stop.Token);
        // Console input reads synchronously even through the async methods: the input loop gets a thread of its own so
        // that the session's end is seen while a read is still waiting for input.
        var sending = Task.Run(() => SendAllAsync(session, read, stop.Token), CancellationToken.None);
        if (await Task.WhenAny(receiving, sending).ConfigureAwait(false) == sending)
        {
            await session.HangUpAsync().ConfigureAwait(false);
        }

        var end = await receiving.ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false); // a send still waiting for input is abandoned: the command ends with the session
        return end;
    }

    private static async Task SendAllAsync(INetBiosSession session, Func<CancellationToken, ValueTask<ReadOnlyMemory<byte>?>> read, CancellationToken cancellationToken)
    {
        while (await read(cancellationToken).ConfigureAwait(false) is { } message)
        {
            if (await session.SendAsync(message, cancellationToken).ConfigureAwait(false) != SessionIoStatus.Ok)
            {
                return;
            }
        }
    }

    /// <summary>Writes every message (or piece of one, when it is longer than the receive buffer) until the session ends; a failing output hangs up.</summary>
    private static async Task<SessionIoStatus> ReceiveAllAsync(INetBiosSession session, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[NetBios.Wire.Session.SessionHeader.MaxLength];
        while (true)
        {
            SessionReceiveResult result;
            try
            {
                result = await session.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.Status is not (SessionIoStatus.Ok or SessionIoStatus.Incomplete))
                {
                    return result.Status;
                }

                await write(buffer.AsMemory(0, result.BytesReceived), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return SessionIoStatus.Cancelled;
            }
            catch (IOException)
            {
                // Standard output is gone (e.g. the reading end of a pipe closed): nobody is left to read the session.
                return await session.HangUpAsync().ConfigureAwait(false) == SessionState.Aborted ? SessionIoStatus.Aborted : SessionIoStatus.Closed;
            }
        }
    }

    private static async ValueTask WriteLineAsync(Output output, string prefix, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (output.Json)
        {
            output.WriteJsonLine(new
            {
                @event = "message",
                length = message.Length,
                text = DatagramText.Payload(message.Span, hex: false),
                hex = Convert.ToHexString(message.Span).ToLowerInvariant(),
            });
        }
        else
        {
            output.Line(prefix + DatagramText.Payload(message.Span, hex: false));
        }

        await output.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
