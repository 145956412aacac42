using System.Text;
using NetBios.SessionService;
using NetBios.Station;

namespace NetBios.Samples;

/// <summary>Guide §6: a session between two names (RFC 1002 §4.3: session request, messages, hang-up).</summary>
internal static class SessionSample
{
    /// <summary>The peer listens on FILESRV&lt;20&gt; and echoes one message; the station calls it and sends one.</summary>
    /// <param name="station">The calling station.</param>
    /// <param name="peer">The listening station, which holds FILESRV&lt;20&gt;.</param>
    /// <param name="output">Where the sample writes the exchange.</param>
    /// <param name="cancellationToken">Cancels the call, the listen and the transfers.</param>
    /// <returns>The reply the caller received.</returns>
    public static async Task<string> RunAsync(NetBiosStation station, NetBiosStation peer, TextWriter output, CancellationToken cancellationToken)
    {
        NetBiosName server = NetBiosName.Parse("FILESRV#20");
        Task echo = EchoOnceAsync(peer, server, cancellationToken);

        // <guide:call>
        NetBiosName caller = NetBiosName.Parse("CLIENT");
        await station.AddNameAsync(caller, cancellationToken: cancellationToken);

        // Resolves FILESRV<20>, connects to its session port and sends the session request; follows retargets.
        SessionCallResult call = await station.CallAsync(caller, server, cancellationToken);
        if (!call.IsConnected)
        {
            output.WriteLine($"call {server}: {call.Outcome} (code {call.ErrorCode})"); // e.g. CalledNameNotPresent
            return string.Empty;
        }

        await using NbssSession session = call.Session!;
        await session.SendAsync(Encoding.UTF8.GetBytes("ping"), cancellationToken); // one session message

        byte[] buffer = new byte[1024];
        SessionReceiveResult received = await session.ReceiveAsync(buffer, TimeSpan.FromSeconds(10), cancellationToken);
        string reply = Encoding.UTF8.GetString(buffer, 0, received.BytesReceived);
        output.WriteLine($"{session.LocalName} -> {session.RemoteName}: sent \"ping\", got \"{reply}\" ({received.Status})");
        await session.HangUpAsync();
        // </guide:call>
        await echo;
        return reply;
    }

    /// <summary>Accepts one call to <paramref name="name"/> on <paramref name="peer"/> and echoes one message, "ping" as "pong".</summary>
    /// <param name="peer">The listening station.</param>
    /// <param name="name">The name to listen on (one of the peer's).</param>
    /// <param name="cancellationToken">Cancels the listen.</param>
    /// <returns>Completes when the caller has hung up.</returns>
    internal static async Task EchoOnceAsync(NetBiosStation peer, NetBiosName name, CancellationToken cancellationToken)
    {
        // <guide:listen>
        // Accepts one call to `name` from anyone (pass a name instead of null to accept only that caller).
        SessionListenResult listen = await peer.ListenAsync(name, remoteName: null, cancellationToken);
        if (!listen.IsConnected)
        {
            return;
        }

        await using NbssSession session = listen.Session!;
        byte[] buffer = new byte[1024];
        SessionReceiveResult message = await session.ReceiveAsync(buffer, TimeSpan.FromSeconds(10), cancellationToken);
        if (message.Status == SessionIoStatus.Ok)
        {
            string text = Encoding.UTF8.GetString(buffer, 0, message.BytesReceived);
            await session.SendAsync(Encoding.UTF8.GetBytes(text.Replace("ping", "pong", StringComparison.Ordinal)), cancellationToken);
        }

        // The next receive ends with Closed when the caller hangs up (or TimedOut after 10 s).
        await session.ReceiveAsync(buffer, TimeSpan.FromSeconds(10), cancellationToken);
        // </guide:listen>
    }
}
