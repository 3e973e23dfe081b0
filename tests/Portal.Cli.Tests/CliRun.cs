using Portal.Cli;

namespace Portal.Cli.Tests;

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs <c>portal</c> in-process with its own config folder and an empty environment (nothing from the machine leaks in).</summary>
public sealed class CliRun : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("portal-cli-home-");

    public CliRun(Dictionary<string, string>? environment = null)
    {
        Environment = environment ?? [];
        Settings = new CliSettings
        {
            ConfigDirectory = Path.Combine(_home.FullName, "portal"),
            Environment = name => Environment.GetValueOrDefault(name),
            PollInterval = TimeSpan.FromMilliseconds(200),
            DevicePollInterval = TimeSpan.FromMilliseconds(200),
        };
    }

    public Dictionary<string, string> Environment { get; }

    public CliSettings Settings { get; }

    public string CredentialsPath => Path.Combine(Settings.ConfigDirectory, "credentials.json");

    public string PathOf(string file) => Path.Combine(_home.FullName, file);

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(new StringWriter(), args);

    /// <summary>Runs with <paramref name="error"/> as standard error, so a test can watch it while the command runs.</summary>
    public async Task<CliResult> RunAsync(TextWriter error, params string[] args)
    {
        var output = new StringWriter();
        var exitCode = await PortalCommandLine.RunAsync(args, output, error, Settings);
        return new CliResult(exitCode, output.ToString(), error.ToString()!);
    }

    public void Dispose() => _home.Delete(recursive: true);
}
