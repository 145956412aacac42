namespace Nbtd.Hosting;

/// <summary>A station or the WINS server could not start (port in use, no such interface, database unusable): one
/// line; nbtd prints it and exits with <see cref="NbtdExitCodes.Network"/>.</summary>
internal sealed class NbtdStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NbtdStartupException()
    {
    }

    /// <summary>Creates the exception with its one-line message.</summary>
    /// <param name="message">The message.</param>
    public NbtdStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NbtdStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
