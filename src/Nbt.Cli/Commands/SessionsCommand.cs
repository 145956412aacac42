using System.CommandLine;
using NetBios.Daemon;
using NetBios.SessionService;

namespace Nbt.Cli.Commands;

/// <summary><c>nbt sessions</c>: the sessions of the daemon's stations (like <c>nbtstat -s</c>); through nbtd only.</summary>
internal static class SessionsCommand
{
    private static readonly string[] Header = ["LANA", "LOCAL NAME", "STATE", "IN/OUT", "REMOTE NAME", "REMOTE", "SENT", "RECEIVED", "OWNER"];

    public static Command Create(Output output)
    {
        var command = DaemonAdminCommand.WithOptions(new Command("sessions", "The sessions of the NetBIOS daemon's stations: names, peer, state, messages and bytes each way, owner (like nbtstat -s; needs nbtd)"));
        command.SetAction((parse, cancellationToken) => output.RunAsync(parse, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Output output, CancellationToken cancellationToken)
    {
        byte lana = DaemonAdminCommand.SelectedLana(parse);
        await using var daemon = await DaemonAdminCommand.RequireAsync("sessions", output, cancellationToken);
        var admin = new NetBiosDaemonAdministration(daemon);
        var sessions = await DaemonAdminCommand.RunAsync(() => admin.GetSessionsAsync(lana, cancellationToken));
        if (output.Json)
        {
            output.WriteJson(new
            {
                sessions = sessions.Select(s => new
                {
                    lana = s.Lana,
                    id = s.Id,
                    localName = NameDisplay.Json(s.LocalName),
                    remoteName = NameDisplay.Json(s.RemoteName),
                    remote = s.RemoteEndPoint?.ToString(),
                    direction = s.IsCaller ? "outbound" : "inbound",
                    state = s.State.ToString(),
                    pendingReceives = s.PendingReceives,
                    pendingSends = s.PendingSends,
                    messagesSent = s.MessagesSent,
                    bytesSent = s.BytesSent,
                    messagesReceived = s.MessagesReceived,
                    bytesReceived = s.BytesReceived,
                    holder = DaemonAdminCommand.HolderJson(s.Holder),
                    pid = s.Holder == NetBiosDaemonNameHolder.Client ? s.ProcessId : (int?)null,
                    uid = s.Holder == NetBiosDaemonNameHolder.Client ? s.UserId : (uint?)null,
                }),
            });
            return ExitCodes.Ok;
        }

        if (sessions.Count == 0)
        {
            output.Line("No sessions.");
            return ExitCodes.Ok;
        }

        var rows = new List<string[]> { Header };
        rows.AddRange(sessions.Select(s => new[]
        {
            s.Lana.ToString(System.Globalization.CultureInfo.InvariantCulture),
            NameDisplay.Display(s.LocalName),
            s.State == SessionState.Established ? "Connected" : s.State.ToString(),
            s.IsCaller ? "Out" : "In",
            NameDisplay.Display(s.RemoteName),
            s.RemoteEndPoint?.ToString() ?? "-",
            Traffic(s.MessagesSent, s.BytesSent),
            Traffic(s.MessagesReceived, s.BytesReceived),
            s.Holder == NetBiosDaemonNameHolder.Client ? DaemonAdminCommand.Holder(s.Holder, s.ProcessId, s.UserId) : "nbtd",
        }));
        output.Table(rows);
        return ExitCodes.Ok;
    }

    /// <summary>"N msg / B bytes" for one direction.</summary>
    private static string Traffic(long messages, long bytes) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{messages} msg / {bytes} B");
}
