using NetBios.NameServer;

namespace NetBios.Daemon;

/// <summary>
/// WINS LIST, WINS SHOW and WINS DELETE (docs/IPC.md "WINS operations (0x0220-0x022F)"): <c>nbt wins</c> through nbtd,
/// on the database of the WINS server the daemon runs (<see cref="NetBiosDaemonServer.WinsServer"/>), while it serves.
/// Reading is open to every client (any host may query a WINS server for each name anyway); deleting needs
/// <see cref="NetBiosDaemonPermissions.EditWins"/> (root by default) and goes through the server, serialized with the
/// name's registrations, only if the record still has the version the client read.
/// </summary>
internal static class WinsOperations
{
    /// <summary>Carries out one WINS request.</summary>
    /// <param name="request">The request (operation 0x0220-0x0222).</param>
    /// <param name="cancellationToken">REQUEST CANCEL, or the connection ending.</param>
    /// <returns>The reply to send.</returns>
    public static async ValueTask<DaemonReply> HandleAsync(DaemonRequest request, CancellationToken cancellationToken)
    {
        if (request.Client.Server.WinsServer is not { } wins)
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.NotFound, "the daemon runs no WINS server");
        }

        try
        {
            return request.Operation switch
            {
                AdminOperationCode.WinsList => await ListAsync(request, wins.Store, cancellationToken).ConfigureAwait(false),
                AdminOperationCode.WinsShow => await ShowAsync(request, wins.Store, cancellationToken).ConfigureAwait(false),
                _ => await DeleteAsync(request, wins, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // The store's own failure (a database gone away): the client gets it in one line, the daemon goes on.
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.Failed, $"the WINS database failed: {ex.Message}");
        }
    }

    private static async ValueTask<DaemonReply> ListAsync(DaemonRequest request, IWinsStore store, CancellationToken cancellationToken)
    {
        if (!WinsAdminCodec.TryReadListRequest(request.Body.Span, out var after))
        {
            return Malformed("WINS LIST is has-after (u8) | name");
        }

        var records = new List<WinsRecord>();
        await foreach (var record in store.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (after is not { } cursor || NetBiosName.CompareOrdinal(record.Name, cursor) > 0)
            {
                records.Add(record);
            }
        }

        records.Sort(static (a, b) => NetBiosName.CompareOrdinal(a.Name, b.Name));
        return DaemonReply.Ok(WinsAdminCodec.List(store.MaxVersion, records));
    }

    private static async ValueTask<DaemonReply> ShowAsync(DaemonRequest request, IWinsStore store, CancellationToken cancellationToken) =>
        WinsAdminCodec.TryReadShowRequest(request.Body.Span, out var name)
            ? DaemonReply.Ok(WinsAdminCodec.Show(await store.FindAsync(name, cancellationToken).ConfigureAwait(false)))
            : Malformed("WINS SHOW is a name");

    private static async ValueTask<DaemonReply> DeleteAsync(DaemonRequest request, WinsServer wins, CancellationToken cancellationToken)
    {
        if (!WinsAdminCodec.TryReadDeleteRequest(request.Body.Span, out var name, out long version))
        {
            return Malformed("WINS DELETE is name | expected version (i64)");
        }

        var client = request.Client;
        if ((client.Permissions & NetBiosDaemonPermissions.EditWins) == 0)
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.AccessDenied,
                $"uid {client.Credentials.UserId} may not edit the WINS database (Ipc:AccessPolicy:EditWins; root may)");
        }

        if (await wins.DeleteAsync(name, version, cancellationToken).ConfigureAwait(false) is not { } result)
        {
            return DaemonReply.Fail(NetBiosDaemonRequestStatus.Failed, $"the WINS database could not delete {name} (the daemon's log says why)");
        }

        if (result.Succeeded)
        {
            AdminLog.WinsRecordDeleted(client.Server.Logger, name, version, client.Credentials.UserId);
        }

        return DaemonReply.Ok(WinsAdminCodec.Delete(result));
    }

    private static DaemonReply Malformed(string text) => DaemonReply.Fail(NetBiosDaemonRequestStatus.Malformed, text);
}
