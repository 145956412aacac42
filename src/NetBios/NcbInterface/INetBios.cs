namespace NetBios.NcbInterface;

/// <summary>
/// What a program needs of <c>Netbios()</c> (nb30.h): submit an NCB, synchronously or asynchronously, cancel one,
/// reset a LANA, enumerate the LANAs. <see cref="NetBiosInterface"/> implements it over stations in this process; a
/// client of a NetBIOS daemon implements it by forwarding each NCB (its 64 bytes and buffers) and copying the results
/// back, so every member is defined by the NCB it stands for and the fields it fills in, never by in-process state.
/// </summary>
/// <remarks>
/// <para>
/// Results are NCB return codes (<see cref="NcbReturnCode"/>), also for failures of the implementation itself (a
/// daemon that went away completes the NCB with <see cref="NcbReturnCode.SystemError"/> or
/// <see cref="NcbReturnCode.NotLoaded"/>); only caller bugs (a null NCB) throw.
/// </para>
/// <para>
/// While an NCB is pending the caller must not change it, and the implementation may write into it (its buffer, the
/// fields the command fills in) from any thread until it completes. Completion writes <see cref="Ncb.ReturnCode"/>
/// and then <see cref="Ncb.CommandComplete"/> last: once <see cref="Ncb.CommandComplete"/> is not
/// <see cref="NcbReturnCode.Pending"/> every result field has been written.
/// </para>
/// <para>Thread safety: all members may be called concurrently, also from POST routines.</para>
/// </remarks>
public interface INetBios
{
    /// <summary>
    /// <c>Netbios(ncb)</c>. A synchronous command (<see cref="NcbCommand.Asynchronous"/> clear) blocks until it
    /// completes and returns its final code. An asynchronous one returns at once: <see cref="NcbReturnCode.GoodReturn"/>
    /// with <see cref="Ncb.ReturnCode"/> and <see cref="Ncb.CommandComplete"/> reading <see cref="NcbReturnCode.Pending"/>
    /// (0xFF); when it completes both take the final code, then <see cref="Ncb.Event"/> is set and <see cref="Ncb.Post"/>
    /// runs (on a pool thread; it may submit further NCBs).
    /// </summary>
    /// <param name="ncb">The NCB.</param>
    /// <returns>The final code (synchronous) or the immediate one (asynchronous).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ncb"/> is null.</exception>
    NcbReturnCode Submit(Ncb ncb);

    /// <summary>
    /// The Task form: executes the NCB whatever its ASYNCH bit, with <see cref="Ncb.CommandComplete"/> reading
    /// <see cref="NcbReturnCode.Pending"/> meanwhile, and completes with the final code once the NCB's fields are
    /// written. <see cref="Ncb.Post"/> and <see cref="Ncb.Event"/> are not used.
    /// </summary>
    /// <param name="ncb">The NCB.</param>
    /// <param name="cancellationToken">Cancels a cancellable command as NCB CANCEL would (final code
    /// <see cref="NcbReturnCode.CommandCancelled"/>); other commands run to completion.</param>
    /// <returns>The final code.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ncb"/> is null.</exception>
    Task<NcbReturnCode> SubmitAsync(Ncb ncb, CancellationToken cancellationToken = default);

    /// <summary>
    /// NCBCANCEL on the LANA of <paramref name="target"/>: ends a pending command and completes when it has completed
    /// (with <see cref="NcbReturnCode.CommandCancelled"/>).
    /// </summary>
    /// <param name="target">An NCB submitted to this interface.</param>
    /// <returns><see cref="NcbReturnCode.GoodReturn"/> when it was cancelled; <see cref="NcbReturnCode.CancelOccurred"/>
    /// when it was not pending (completed already, or never submitted); <see cref="NcbReturnCode.NotCancellable"/> for a
    /// command CANCEL may not end (ADD NAME, datagram sends, RESET…); the codes any NCB gets before it runs
    /// (<see cref="NcbReturnCode.InvalidLana"/>, <see cref="NcbReturnCode.EnvironmentNotDefined"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    Task<NcbReturnCode> CancelAsync(Ncb target);

    /// <summary>
    /// NCBRESET on <paramref name="lana"/>: cancels its pending commands, aborts its sessions and deletes the names added
    /// through this interface, then allocates the limits <paramref name="request"/> asks for (or frees the LANA).
    /// </summary>
    /// <param name="lana">The LANA number.</param>
    /// <param name="request">Limits, NAME_NUMBER_1, or free; <c>default</c> allocates with the default limits.</param>
    /// <returns><see cref="NcbReturnCode.GoodReturn"/>; <see cref="NcbReturnCode.InvalidLana"/> for a LANA that does not
    /// exist; <see cref="NcbReturnCode.NameInUse"/> when NAME_NUMBER_1 was asked for and the permanent node name could
    /// not be registered.</returns>
    Task<NcbReturnCode> ResetAsync(byte lana, NcbResetRequest request = default);

    /// <summary>NCBENUM: the LANA numbers this interface serves, in ascending order (LANA_ENUM).</summary>
    /// <param name="cancellationToken">Cancels waiting for the answer (a daemon's).</param>
    /// <returns>The LANA numbers; empty when the interface cannot answer (a daemon that is gone).</returns>
    Task<IReadOnlyList<byte>> EnumerateLanasAsync(CancellationToken cancellationToken = default);
}
