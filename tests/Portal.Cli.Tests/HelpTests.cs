using System.CommandLine;

namespace Portal.Cli.Tests;

public sealed class HelpTests
{
    private static IEnumerable<Command> Leaves(Command command) =>
        command.Subcommands.Count == 0 ? [command] : command.Subcommands.SelectMany(Leaves);

    [Fact]
    public void EveryCommand_HasHelpWithAnExample()
    {
        var root = PortalCommandLine.Build(CliSettings.FromEnvironment());
        var leaves = Leaves(root).ToList();

        Assert.True(leaves.Count >= 20, $"Only {leaves.Count} commands.");
        Assert.All(leaves, c => Assert.Contains("Example", c.Description));
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
