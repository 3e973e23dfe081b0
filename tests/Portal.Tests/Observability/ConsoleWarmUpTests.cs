using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Observability;
using Portal.Tests.Health;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// A portal restarted on data with an endpoint reads, once it serves, what the Overview and the Observability page read,
/// as a read-only caller of that endpoint's tenant: the figures come back (the reads were allowed and ran), and nothing is
/// written in anyone's name; the sign-in page was rendered first. Off by default in the tests (every other portal here
/// starts without it).
/// </summary>
public sealed class ConsoleWarmUpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AfterARestart_TheConsolesReadsRunOnceForAnEndpoint_AndWriteNothing()
    {
        var first = new PortalApp { KeepOnDispose = true };
        try
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            using var dev = await HealthTestKit.DeveloperAsync(first);
            await HealthTestKit.ServerlessEndpointAsync(dev, "warm-me", new Uri("http://127.0.0.1:9/"));
            Assert.DoesNotContain(first.Log.Lines, line => line.Contains("Console warm-up", StringComparison.Ordinal));
        }
        finally
        {
            await ((IAsyncLifetime)first).DisposeAsync();
        }

        var second = PortalApp.OnExistingData(first.DataDirectory).With("Observability:WarmUpOnStart", "true");
        try
        {
            await ((IAsyncLifetime)second).InitializeAsync();

            var line = await second.Log.WaitForAsync(l => l.Contains("Console warm-up: read", StringComparison.Ordinal), Patience);
            Assert.Contains("read 1 endpoint(s) of one tenant and the TTFT figures of warm-me (1d and 1h)", line);
            // Before the reads, the sign-in page was asked of the portal's own address and rendered.
            Assert.Contains(second.Log.Lines, l => l.Contains("Console warm-up: the sign-in page answered 200", StringComparison.Ordinal));
            await using var scope = second.Services.CreateAsyncScope();
            var portalDb = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.False(await portalDb.AuditRecords.AnyAsync(r => r.ActorId == ConsoleWarmUp.ActorId));
            Assert.DoesNotContain(second.Log.Lines, l => l.Contains("warm-up", StringComparison.Ordinal) && l.Contains("fail", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }
}
