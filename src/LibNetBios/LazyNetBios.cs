using NetBios.NcbInterface;

namespace NetBios.Native;

/// <summary>The <see cref="INetBios"/> of <see cref="NetBiosProvider"/>, fetched on each call so that the stations are
/// bound on first use; NRC_OPENERR (or an empty LANA list) while they cannot be.</summary>
internal sealed class LazyNetBios : INetBios
{
    /// <inheritdoc/>
    public NcbReturnCode Submit(Ncb ncb)
    {
        ArgumentNullException.ThrowIfNull(ncb);
        if (NetBiosProvider.Get() is { } netbios)
        {
            return netbios.Submit(ncb);
        }

        ncb.ReturnCode = NcbReturnCode.OpenError;
        ncb.CommandComplete = NcbReturnCode.OpenError;
        return NcbReturnCode.OpenError;
    }

    /// <inheritdoc/>
    public Task<NcbReturnCode> SubmitAsync(Ncb ncb, CancellationToken cancellationToken = default) =>
        NetBiosProvider.Get()?.SubmitAsync(ncb, cancellationToken) ?? Task.FromResult(NcbReturnCode.OpenError);

    /// <inheritdoc/>
    public Task<NcbReturnCode> CancelAsync(Ncb target) => NetBiosProvider.Get()?.CancelAsync(target) ?? Task.FromResult(NcbReturnCode.OpenError);

    /// <inheritdoc/>
    public Task<NcbReturnCode> ResetAsync(byte lana, NcbResetRequest request = default) =>
        NetBiosProvider.Get()?.ResetAsync(lana, request) ?? Task.FromResult(NcbReturnCode.OpenError);

    /// <inheritdoc/>
    public Task<IReadOnlyList<byte>> EnumerateLanasAsync(CancellationToken cancellationToken = default) =>
        NetBiosProvider.Get()?.EnumerateLanasAsync(cancellationToken) ?? Task.FromResult<IReadOnlyList<byte>>([]);
}
