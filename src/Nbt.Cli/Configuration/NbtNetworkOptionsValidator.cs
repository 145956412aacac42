using Microsoft.Extensions.Options;
using NetBios;

namespace Nbt.Cli.Configuration;

/// <summary>
/// Checks <see cref="NbtNetworkOptions"/>: ports 1-65535, a valid scope (RFC 1002 §4.1: labels of at most 63 bytes,
/// 255 in all), node type B/P/M/H (RFC 1001 §10), name servers as IPv4[:port], refresh at least one second.
/// </summary>
internal sealed class NbtNetworkOptionsValidator : IValidateOptions<NbtNetworkOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, NbtNetworkOptions options)
    {
        var failures = new List<string>();
        CheckPort(failures, "port", options.Port, " UDP");
        CheckPort(failures, "datagram-port", options.DatagramPort, " UDP");
        CheckPort(failures, "session-port", options.SessionPort, " TCP");
        if (options.Scope is { Length: > 0 } scope && NetBiosName.ValidateScope(scope) is { } scopeError)
        {
            failures.Add(SettingsFailure.Of("scope", $"--scope: {scopeError}"));
        }

        if (options.NodeType is { } type && type.ToUpperInvariant() is not ("B" or "P" or "M" or "H"))
        {
            failures.Add(SettingsFailure.Of("node-type", $"--node-type '{type}' must be B, P, M or H"));
        }

        foreach (string server in options.Wins)
        {
            try
            {
                CommonOptions.ParseEndPoint(server, options.Port, "--wins");
            }
            catch (CliException ex)
            {
                failures.Add(SettingsFailure.Of("wins", ex.Message));
            }
        }

        if (options.Refresh is < 1)
        {
            failures.Add(SettingsFailure.Of("refresh", $"--refresh {options.Refresh}: give a number of seconds, at least 1"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string key, int port, string protocol)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add(SettingsFailure.Of(key, $"--{key} {port} is not a{protocol} port (1-65535)"));
        }
    }
}
