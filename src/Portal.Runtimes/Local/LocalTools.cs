using Portal.Core.Deployments;

namespace Portal.Runtimes.Local;

/// <summary>What this machine offers a launch, looked up before it is planned (<see cref="LocalLaunchPlan"/>).</summary>
/// <param name="InstalledEngine">The full path of the engine's configured executable; null when it is not installed.</param>
/// <param name="SimulatorPath">Where Portal.Simulator.dll is expected.</param>
/// <param name="SimulatorFound">Whether it is there.</param>
/// <param name="DotnetHost">The <c>dotnet</c> host that runs the simulator.</param>
internal sealed record LocalTools(string? InstalledEngine, string SimulatorPath, bool SimulatorFound, string DotnetHost)
{
    public static LocalTools Find(InferenceEngine engine, LocalRuntimeOptions options)
    {
        var executable = LocalLaunchPlan.ConfiguredExecutable(engine, options);
        var simulator = options.SimulatorPath ?? Path.Combine(AppContext.BaseDirectory, "Portal.Simulator.dll");
        return new LocalTools(
            executable is null ? null : FindExecutable(executable),
            simulator,
            File.Exists(simulator),
            options.DotnetHost ?? CurrentDotnetHost());
    }

    /// <summary>The host running the portal when it is <c>dotnet</c> itself, else <c>dotnet</c> on PATH.</summary>
    private static string CurrentDotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }

    private static string? FindExecutable(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", string.Empty } : [string.Empty];
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => extensions.Select(extension => Path.Combine(directory, name + extension)))
            .FirstOrDefault(File.Exists);
    }
}
