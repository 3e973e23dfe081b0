using System.CommandLine;
using System.CommandLine.Invocation;
using Portal.Cli.Commands;

namespace Portal.Cli;

/// <summary>The <c>portal</c> command tree. Each feature adds its commands from its own file under Commands/.</summary>
public static class PortalCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Command line for the Portal: dedicated LLM inference endpoints.");
        root.Subcommands.Add(AuditCommands.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parseResult = Build().Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }
}
