using System.Diagnostics;

namespace Portal.Simulator;

/// <summary>
/// A simulator process normally outlives whoever started it, as a replica outlives a restarted portal. A test run sets
/// <c>PORTAL_SIMULATOR_EXIT_WITH_PID</c> to its own process id (children inherit it), so a simulator it started exits
/// once that process is gone, even when the run was killed before it could stop its replicas.
/// </summary>
internal sealed class OwnerWatch(int processId)
{
    public const string Variable = "PORTAL_SIMULATOR_EXIT_WITH_PID";

    public static OwnerWatch? FromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), out var processId) && processId > 0 ? new OwnerWatch(processId) : null;

    public async Task StopWhenGoneAsync(CancellationTokenSource stop, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        while (IsAlive() && await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
        {
        }

        await stop.CancelAsync();
    }

    private bool IsAlive()
    {
        try
        {
            using var owner = Process.GetProcessById(processId);
            return !owner.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
