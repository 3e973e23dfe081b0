using System.Diagnostics;

namespace Portal.Runtimes.Tests.Local;

/// <summary>
/// A test run hands its simulator processes its own process id; a simulator whose owner is gone stops by itself, so a
/// run killed before it could stop its replicas leaves nothing behind.
/// </summary>
public sealed class SimulatorOwnerTests
{
    [Fact]
    public async Task SimulatorProcess_ExitsOnceTheProcessNamedAsItsOwnerIsGone()
    {
        using var owner = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Portal.Simulator.dll"), "--port", "0" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["PORTAL_SIMULATOR_EXIT_WITH_PID"] = owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var simulator = Process.Start(start)!;
        try
        {
            var banner = await simulator.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("Simulating", banner);
            Assert.False(simulator.HasExited);

            owner.Kill();
            await owner.WaitForExitAsync();

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await simulator.WaitForExitAsync(deadline.Token);
            Assert.Equal(0, simulator.ExitCode);
        }
        finally
        {
            if (!simulator.HasExited)
            {
                simulator.Kill(entireProcessTree: true);
            }

            if (!owner.HasExited)
            {
                owner.Kill();
            }
        }
    }
}
