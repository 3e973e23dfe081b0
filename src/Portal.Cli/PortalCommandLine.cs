using System.CommandLine;
using System.CommandLine.Invocation;
using Portal.Cli.Commands;

namespace Portal.Cli;

/// <summary>The <c>portal</c> command tree. Each feature adds its commands from its own file under Commands/.</summary>
public static class PortalCommandLine
{
    public static RootCommand Build(CliSettings settings)
    {
        var root = new RootCommand("""
            Command line for the Portal: dedicated LLM inference endpoints. Everything the deploy wizard does, scriptable.
            Exit codes: 0 success, 1 refused by the portal (its reasons are printed), 2 usage error.

            Examples:
              portal login --portal https://portal.example.com
              portal deploy --name chat --model llama-3.1-8b-instruct --gpu h100-80gb --region us-east
              portal deployments list --output json
            """);
        var globals = new Globals(settings);
        globals.AddTo(root);
        foreach (var command in LoginCommands.Create(globals))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(DeployCommand.Create(globals));
        root.Subcommands.Add(DeploymentsCommands.Create(globals));
        root.Subcommands.Add(EndpointsCommands.Create(globals));
        root.Subcommands.Add(KeysCommands.Create(globals));
        root.Subcommands.Add(WeightCredentialsCommands.Create(globals));
        root.Subcommands.Add(NotificationsCommands.Create(globals));
        root.Subcommands.Add(DryRunCommands.Create(globals));
        root.Subcommands.Add(ObservabilityCommands.CreateTtft(globals));
        root.Subcommands.Add(ObservabilityCommands.CreateSignals(globals));
        root.Subcommands.Add(ObservabilityCommands.CreateObservability(globals));
        root.Subcommands.Add(UsageCommands.CreateUsage(globals));
        root.Subcommands.Add(UsageCommands.CreateBudgets(globals));
        root.Subcommands.Add(AuditCommands.Create(globals));
        root.Subcommands.Add(AdminCommands.Create(globals));
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, CliSettings.FromEnvironment(), cancellationToken);

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CliSettings settings, CancellationToken cancellationToken = default)
    {
        var parseResult = Build(settings).Parse(args);
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
