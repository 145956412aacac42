namespace NetBios.Daemon;

/// <summary>The daemon answered a request with a status other than Ok (<see cref="NetBiosDaemonAdministration"/>).</summary>
public sealed class NetBiosDaemonRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetBiosDaemonRequestException()
        : this(NetBiosDaemonRequestStatus.Failed, "The NetBIOS daemon refused the request.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public NetBiosDaemonRequestException(string message)
        : this(NetBiosDaemonRequestStatus.Failed, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public NetBiosDaemonRequestException(string message, Exception innerException)
        : base(message, innerException) => Status = NetBiosDaemonRequestStatus.Failed;

    /// <summary>Creates the exception with the daemon's status.</summary>
    /// <param name="status">The status.</param>
    /// <param name="message">The daemon's reason.</param>
    public NetBiosDaemonRequestException(NetBiosDaemonRequestStatus status, string message)
        : base(message) => Status = status;

    /// <summary>The daemon's status.</summary>
    public NetBiosDaemonRequestStatus Status { get; }
}
