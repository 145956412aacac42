using NetBios.Fuzzing;
using SharpFuzz;

// nbfuzz TARGET                    run under afl-fuzz (see run.sh), input on stdin
// nbfuzz TARGET --replay DIR...    run every file of the directories through the target (no AFL), report failures
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: nbfuzz {string.Join('|', FuzzTargets.All.Keys)} [--replay DIR...]");
    return 2;
}

if (args.Length > 1 && args[1] == "--replay")
{
    int failures = 0;
    int files = 0;
    foreach (string directory in args[2..])
    {
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            files++;
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                failures++;
                Console.Error.WriteLine($"{file}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    Console.WriteLine($"{args[0]}: {files} inputs, {failures} failures");
    return failures == 0 ? 0 : 1;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
