namespace NetBios.Daemon;

/// <summary>A NetBIOS daemon could not be reached, refused this client, or went away (docs/IPC.md "Errors").</summary>
public sealed class NetBiosDaemonException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetBiosDaemonException()
        : this(NetBiosDaemonError.NotRunning, "The NetBIOS daemon is not running.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public NetBiosDaemonException(string message)
        : this(NetBiosDaemonError.NotRunning, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public NetBiosDaemonException(string message, Exception innerException)
        : this(NetBiosDaemonError.NotRunning, message, innerException)
    {
    }

    /// <summary>Creates the exception with its code.</summary>
    /// <param name="error">The code.</param>
    /// <param name="message">What happened, in words.</param>
    /// <param name="innerException">The cause, if any.</param>
    public NetBiosDaemonException(NetBiosDaemonError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>The code (the daemon's ERROR code, or <see cref="NetBiosDaemonError.NotRunning"/> /
    /// <see cref="NetBiosDaemonError.ConnectionLost"/> from the client side).</summary>
    public NetBiosDaemonError Error { get; }
}
