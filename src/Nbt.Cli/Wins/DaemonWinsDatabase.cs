using NetBios;
using NetBios.Daemon;
using NetBios.NameServer;
using Nbt.Cli.Commands;

namespace Nbt.Cli.Wins;

/// <summary>The database of the WINS server nbtd runs, through its WINS operations (docs/IPC.md "WINS operations"):
/// safe while the server runs (a delete is serialized with the server's handling of the name), and subject to the
/// daemon's access policy (deleting needs <c>Ipc:AccessPolicy:EditWins</c>, root by default).</summary>
/// <param name="client">The daemon connection (disposed with this).</param>
internal sealed class DaemonWinsDatabase(NetBiosDaemonClient client) : IWinsDatabase
{
    private readonly NetBiosDaemonAdministration _admin = new(client);

    /// <summary>Whether the daemon runs a WINS server (a WINS SHOW of a name it answers, or NotFound when it runs none).</summary>
    /// <exception cref="CliException">The daemon refused or failed otherwise.</exception>
    public async Task<bool> HasWinsServerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _admin.GetWinsRecordAsync(NetBiosName.Wildcard, cancellationToken);
            return true;
        }
        catch (NetBiosDaemonRequestException ex) when (ex.Status is NetBiosDaemonRequestStatus.NotFound or NetBiosDaemonRequestStatus.UnknownOperation)
        {
            return false; // no WINS server there, or a daemon older than the WINS operations
        }
        catch (Exception ex) when (ex is NetBiosDaemonRequestException or NetBiosDaemonException)
        {
            throw new CliException($"the NetBIOS daemon: {ex.Message}", ExitCodes.Network);
        }
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<WinsRecord> Records, long MaxVersion)> ListAsync(CancellationToken cancellationToken) =>
        await DaemonAdminCommand.RunAsync(() => _admin.GetWinsRecordsAsync(cancellationToken));

    /// <inheritdoc/>
    public Task<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken) =>
        DaemonAdminCommand.RunAsync(() => _admin.GetWinsRecordAsync(name, cancellationToken));

    /// <inheritdoc/>
    public Task<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken) =>
        DaemonAdminCommand.RunAsync(() => _admin.DeleteWinsRecordAsync(name, expectedVersion, cancellationToken));

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => client.DisposeAsync();
}
