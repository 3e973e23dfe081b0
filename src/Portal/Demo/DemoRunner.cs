using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using Portal.Hosting;

namespace Portal.Demo;

/// <summary>
/// At start (after the portal listens): makes sure the demo's resources exist, then starts the traffic generator when
/// <c>Demo:Traffic:Enabled</c>. On shutdown the generator stops; the simulator keeps running to be adopted next time.
/// </summary>
public sealed class DemoRunner(
    DemoResources resources,
    DemoTraffic traffic,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<DemoOptions> options,
    ILogger<DemoRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            var setup = await resources.EnsureAsync(traffic.SetStatus, stoppingToken);
            if (setup is null)
            {
                traffic.SetStatus("Not running: the demo tenant does not exist");
                return;
            }

            traffic.Configure(GatewayAddress(), setup);
            traffic.SetStatus("Ready");
            if (options.Value.Traffic.Enabled)
            {
                traffic.Start();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "The demo could not be set up");
            traffic.SetStatus($"Set-up failed: {e.Message}");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await traffic.StopAsync();
        await base.StopAsync(cancellationToken);
    }

    private Uri GatewayAddress() => OwnAddress.Of(server, "the demo");
}
