using NetBios;
using NetBios.NameServer;

namespace Nbt.Cli.Wins;

/// <summary>What <c>nbt wins</c> reads and edits: a WINS database opened directly (<see cref="StoreWinsDatabase"/>) or
/// the one the running nbtd serves (<see cref="DaemonWinsDatabase"/>; docs/IPC.md "WINS operations").</summary>
internal interface IWinsDatabase : IAsyncDisposable
{
    /// <summary>Every record, and the highest version written or read so far.</summary>
    Task<(IReadOnlyList<WinsRecord> Records, long MaxVersion)> ListAsync(CancellationToken cancellationToken);

    /// <summary>One name's record, or null.</summary>
    Task<WinsRecord?> FindAsync(NetBiosName name, CancellationToken cancellationToken);

    /// <summary>Deletes a record if it still has <paramref name="expectedVersion"/>.</summary>
    Task<WinsWriteResult> DeleteAsync(NetBiosName name, long expectedVersion, CancellationToken cancellationToken);
}
