namespace Nbt.Cli;

/// <summary>An error to report to the user as one line, with an exit code; never a stack trace.</summary>
internal sealed class CliException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
