namespace NetBios.Tests.TestCommon;

/// <summary>Runs the nbt tool in-process with empty stdin, capturing stdout and stderr.</summary>
internal static class NbtRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdin = new StringReader(string.Empty);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await Nbt.Cli.Program.RunAsync(args, stdin, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
