namespace Portal.Cli;

/// <summary>Where the command line keeps its credentials, what it reads from the environment, how fast it polls.</summary>
public sealed record CliSettings
{
    /// <summary>The folder of credentials.json: $XDG_CONFIG_HOME/portal, else ~/.config/portal.</summary>
    public required string ConfigDirectory { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>How often <c>portal deploy</c> asks for the deployment while waiting for Ready.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages (such as the HttpClient handler) tests may replace; null = a plain socket handler.</summary>
    public Func<HttpMessageHandler>? Handler { get; init; }

    public static CliSettings FromEnvironment()
    {
        var xdg = System.Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config")
            : xdg;
        return new CliSettings { ConfigDirectory = Path.Combine(root, "portal") };
    }
}
