namespace Portal.Cli;

/// <summary>Where the command line keeps its credentials, what it reads from the environment, how fast it polls.</summary>
public sealed record CliSettings
{
    /// <summary>The folder of credentials.json: $XDG_CONFIG_HOME/portal, else ~/.config/portal.</summary>
    public required string ConfigDirectory { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>How often <c>portal deploy</c> asks for the deployment while waiting for Ready.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often <c>portal login</c> asks whether the code was approved; null = the interval the portal names (RFC 8628).</summary>
    public TimeSpan? DevicePollInterval { get; init; }

    public static CliSettings FromEnvironment()
    {
        var xdg = System.Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config")
            : xdg;
        return new CliSettings { ConfigDirectory = Path.Combine(root, "portal") };
    }
}
