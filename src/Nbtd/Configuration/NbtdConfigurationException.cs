namespace Nbtd.Configuration;

/// <summary>A bad configuration value, unknown key or unreadable file: one line naming the key and where it came from;
/// nbtd prints it and exits with <see cref="NbtdExitCodes.Usage"/>.</summary>
internal sealed class NbtdConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NbtdConfigurationException()
    {
    }

    /// <summary>Creates the exception with its one-line message.</summary>
    /// <param name="message">The message, naming the key.</param>
    public NbtdConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    /// <param name="message">The message, naming the key.</param>
    /// <param name="innerException">The cause.</param>
    public NbtdConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
