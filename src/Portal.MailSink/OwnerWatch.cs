using System.Diagnostics;

namespace Portal.MailSink;

/// <summary>
/// The sink belongs to whoever started it (a Development portal, a test run): it stops once that process is gone,
/// even when the owner was killed before it could stop the sink.
/// </summary>
internal sealed class OwnerWatch(int processId)
{
    public async Task StopWhenGoneAsync(CancellationTokenSource stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (IsAlive() && await timer.WaitForNextTickAsync(stop.Token))
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
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
