using Xunit;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// What the interop tests need: root (network namespaces), iproute2 and Samba. Missing pieces skip the test on a
/// developer machine and fail it in CI (CI=true), so that interop is never silently skipped where it must run.
/// </summary>
public static class InteropRequirements
{
    public static void Require(params string[] commands)
    {
        var missing = new List<string>();
        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
        {
            missing.Add("root");
        }

        foreach (string command in commands.Prepend("ip"))
        {
            if (!Exists(command))
            {
                missing.Add(command);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        string message = $"interop test needs: {string.Join(", ", missing)} (.ci/run installs them)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }

    private static bool Exists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/sbin").Append("/sbin")
            .Any(dir => File.Exists(Path.Combine(dir, command)));
}
