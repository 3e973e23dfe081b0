using System.CommandLine;

namespace Portal.Cli.Tests;

public sealed class HelpTests
{
    private static IEnumerable<Command> All(Command command) => command.Subcommands.SelectMany(c => All(c).Prepend(c));

    [Fact]
    public void EveryCommand_HasHelpWithAnExample()
    {
        var root = PortalCommandLine.Build(CliSettings.FromEnvironment());
        var commands = All(root).ToList();

        Assert.True(commands.Count >= 25, $"Only {commands.Count} commands.");
        Assert.All(commands, c => Assert.Contains("Example", c.Description));
    }

    [Fact]
    public async Task Help_PrintsTheExamples_AndExitsZero()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("deploy", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("portal deploy --name chat", result.Output);
        Assert.Contains("--no-wait", result.Output);
        Assert.Contains("--output", result.Output);
    }
}
