using System.Diagnostics;
using System.Globalization;
using Portal.Simulator.Configuration;

namespace Portal.Tests.Health;

/// <summary>
/// A simulator in its own process (<c>dotnet Portal.Simulator.dll</c> from the test's output), as a provider's service
/// runs apart from the portal. It exits with the test process; disposing kills it.
/// </summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<SimulatorProcess> StartAsync(SimulatorOptions options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Portal.Simulator.dll"));
        foreach (var argument in SimulatorCommandLine.ToArguments(options with { Port = 0 }))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PORTAL_SIMULATOR_EXIT_WITH_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        try
        {
            // "Simulating <model> on http://127.0.0.1:<port>/"
            var banner = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(banner is not null && banner.StartsWith("Simulating", StringComparison.Ordinal), banner);
            // The engine output that follows is drained, so the pipe never fills.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            return new SimulatorProcess(process, new Uri(banner[(banner.LastIndexOf(" on ", StringComparison.Ordinal) + 4)..]));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
