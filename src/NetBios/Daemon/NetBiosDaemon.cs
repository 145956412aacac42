using NetBios.NcbInterface;

namespace NetBios.Daemon;

/// <summary>
/// Where a program's <see cref="INetBios"/> comes from: the NetBIOS daemon (nbtd) when one runs, else stations in the
/// program itself (docs/IPC.md "Choosing daemon or embedded"). The choice is the <c>NBT_DAEMON</c> environment variable
/// or an explicit setting:
/// <list type="bullet">
/// <item>unset, empty or <c>auto</c>: the daemon at <see cref="DefaultSocketPath"/> if it answers, else embedded;</item>
/// <item><c>off</c> (or <c>embedded</c>): embedded, never the daemon;</item>
/// <item><c>required</c>: the daemon at <see cref="DefaultSocketPath"/>, or an error;</item>
/// <item>a path (containing <c>/</c>): the daemon on that socket, or an error.</item>
/// </list>
/// </summary>
public static class NetBiosDaemon
{
    /// <summary>Where nbtd listens unless configured otherwise.</summary>
    public const string DefaultSocketPath = "/run/nbtd/nbtd.sock";

    /// <summary>The environment variable that chooses daemon or embedded.</summary>
    public const string EnvironmentVariable = "NBT_DAEMON";

    /// <summary>
    /// The daemon's client, or the embedded interface <paramref name="createEmbedded"/> makes, as
    /// <paramref name="setting"/> (or <c>NBT_DAEMON</c>) says.
    /// </summary>
    /// <param name="createEmbedded">Binds this process's own stations and returns their interface.</param>
    /// <param name="setting">The choice; null reads <see cref="EnvironmentVariable"/>.</param>
    /// <param name="cancellationToken">Cancels connecting or binding.</param>
    /// <returns>A <see cref="NetBiosDaemonClient"/> or what <paramref name="createEmbedded"/> returned.</returns>
    /// <exception cref="NetBiosDaemonException">The daemon is required and does not answer, or refused this client.</exception>
    /// <exception cref="ArgumentException">The setting is none of the forms above.</exception>
    public static async Task<INetBios> ConnectOrEmbedAsync(Func<CancellationToken, ValueTask<INetBios>> createEmbedded, string? setting = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createEmbedded);
        var daemon = await TryConnectAsync(setting, cancellationToken).ConfigureAwait(false);
        return daemon is not null ? daemon : await createEmbedded(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The daemon a setting asks for, connected: with <c>auto</c> (the default) the daemon at
    /// <see cref="DefaultSocketPath"/> if its socket answers, else null; <c>off</c> null; <c>required</c> or a socket
    /// path that daemon, or <see cref="NetBiosDaemonException"/>.
    /// </summary>
    /// <param name="setting">The setting; null for the <see cref="EnvironmentVariable"/> variable.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client (the caller disposes it), or null when the program is to run embedded.</returns>
    /// <exception cref="ArgumentException">The setting is not one of the values above.</exception>
    /// <exception cref="NetBiosDaemonException">A required daemon does not answer or refused this client.</exception>
    public static async Task<NetBiosDaemonClient?> TryConnectAsync(string? setting = null, CancellationToken cancellationToken = default)
    {
        setting ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!TryParseSetting(setting, out var path, out bool required))
        {
            throw new ArgumentException($"{EnvironmentVariable} must be empty, 'auto', 'off', 'required' or a socket path, not '{setting}'.", nameof(setting));
        }

        if (path is null)
        {
            return null;
        }

        if (required)
        {
            return await NetBiosDaemonClient.ConnectAsync(path, cancellationToken).ConfigureAwait(false);
        }

        if (File.Exists(path))
        {
            try
            {
                return await NetBiosDaemonClient.ConnectAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (NetBiosDaemonException ex) when (ex.Error == NetBiosDaemonError.NotRunning)
            {
                // A stale socket of a daemon that is gone: embedded.
            }
        }

        return null;
    }


    /// <summary>Reads a setting: the socket to use (null: embedded) and whether the daemon is required.</summary>
    /// <param name="setting">The setting (see the class summary).</param>
    /// <param name="socketPath">The daemon's socket, or null for embedded.</param>
    /// <param name="required">True when the daemon must answer.</param>
    /// <returns>False when the setting is none of the accepted forms.</returns>
    public static bool TryParseSetting(string? setting, out string? socketPath, out bool required)
    {
        string value = setting?.Trim() ?? string.Empty;
        socketPath = DefaultSocketPath;
        required = false;
        if (value.Length == 0 || value.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("off", StringComparison.OrdinalIgnoreCase) || value.Equals("embedded", StringComparison.OrdinalIgnoreCase))
        {
            socketPath = null;
            return true;
        }

        required = true;
        if (value.Equals("required", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Contains('/', StringComparison.Ordinal))
        {
            socketPath = value;
            return true;
        }

        socketPath = null;
        required = false;
        return false;
    }
}
