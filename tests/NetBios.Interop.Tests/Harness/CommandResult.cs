using System.Text;

namespace NetBios.Interop.Tests.Harness;

/// <summary>Outcome of a finished external command.</summary>
/// <param name="CommandLine">What was run (for messages).</param>
/// <param name="ExitCode">Process exit code.</param>
/// <param name="StdOut">Everything written to stdout.</param>
/// <param name="StdErr">Everything written to stderr.</param>
/// <param name="Elapsed">Wall time from start to exit.</param>
public sealed record CommandResult(string CommandLine, int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    /// <summary>True when the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the full output when the exit code is not 0; returns this otherwise.</summary>
    public CommandResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException($"command failed: {this}");
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append('`').Append(CommandLine).Append("` exit=").Append(ExitCode)
          .Append(" in ").Append(Elapsed.TotalMilliseconds.ToString("F0")).Append(" ms");
        if (StdOut.Length > 0)
        {
            sb.Append("\n--- stdout ---\n").Append(StdOut.TrimEnd());
        }

        if (StdErr.Length > 0)
        {
            sb.Append("\n--- stderr ---\n").Append(StdErr.TrimEnd());
        }

        return sb.ToString();
    }
}
