using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Nbt.Cli;

/// <summary><c>--help</c>: System.CommandLine's help for the command, then its examples and the name input rules.</summary>
internal sealed class HelpWithExamplesAction(HelpAction inner, TextWriter stdout) : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        int exit = inner.Invoke(parseResult);
        var command = parseResult.CommandResult.Command;
        string path = string.Join(' ', CommandPath(command));
        if (HelpExamples.For(path) is { Count: > 0 } examples)
        {
            stdout.WriteLine("Examples:");
            foreach (string example in examples)
            {
                stdout.WriteLine("  " + example);
            }

            stdout.WriteLine();
        }

        if (HelpExamples.TakesNames(path))
        {
            stdout.WriteLine(HelpExamples.NameRules);
            stdout.WriteLine();
        }

        return exit;
    }

    private static List<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return names;
    }
}
