using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Latency;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Observability;
using Portal.Tests.Health;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// A portal restarted on data with an endpoint reads, once it serves, what the Overview and the Observability page read,
/// as a read-only caller of that endpoint's tenant: the figures come back (the reads were allowed and ran), and nothing is
/// written in anyone's name; the sign-in page was rendered first and the Observability page after the reads. Off by default in the tests (every other portal here
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
            // Of several endpoints, the one with the latest traffic is read: the one most likely opened first.
            foreach (var quiet in new[] { "quiet-a", "quiet-b", "quiet-c" })
            {
                await HealthTestKit.ServerlessEndpointAsync(dev, quiet, new Uri("http://127.0.0.1:9/"));
            }

            var (_, warmTarget) = await HealthTestKit.ServerlessEndpointAsync(dev, "warm-me", new Uri("http://127.0.0.1:9/"));
            await using (var scope = first.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                var warm = await db.Endpoints.SingleAsync(e => e.Name == "warm-me");
                var minute = DateTimeOffset.UtcNow.AddMinutes(-3);
                var key = new RollupKey(minute.AddTicks(-(minute.Ticks % TimeSpan.TicksPerMinute)), warm.Id, warmTarget, "us-east",
                    ServingTier.Serverless, TrafficKind.Production);
                db.MinuteRollups.Add(MinuteRollupRow.From(warm.TenantId, new MinuteRollup(key)));
                await db.SaveChangesAsync();
            }

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
            Assert.Contains("read 4 endpoint(s) of one tenant and the TTFT figures of warm-me (1d and 1h)", line);
            // Then the Observability page itself was rendered in the process, as the read-only caller, and answered 200.
            await second.Log.WaitForAsync(l => l.Contains("Console warm-up: rendered the Observability page of warm-me", StringComparison.Ordinal), Patience);
            // Before the reads, the sign-in page was asked of the portal's own address and rendered.
            Assert.Contains(second.Log.Lines, l => l.Contains("Console warm-up: the sign-in page answered 200", StringComparison.Ordinal));
            await using var scope = second.Services.CreateAsyncScope();
            var portalDb = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.False(await portalDb.AuditRecords.AnyAsync(r => r.ActorId == ConsoleWarmUp.ActorId));
            Assert.DoesNotContain(second.Log.Lines, l => l.Contains("warm-up", StringComparison.Ordinal) && l.Contains("fail", StringComparison.OrdinalIgnoreCase));

            // Only the identity the warm-up builds in the process stands for its caller: one that looks the same from
            // outside (its subject and authentication type, as a cookie or token would carry them) is nobody.
            var lookalike = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(CallerResolver.SubjectClaim, ConsoleWarmUp.ActorId)], WarmUpIdentity.AuthenticationKind));
            Assert.Null(await scope.ServiceProvider.GetRequiredService<CallerResolver>().ResolveAsync(lookalike));
            // And it renders only as a read-only system caller.
            var admin = new Caller(ConsoleWarmUp.ActorId, "x", IsClient: true, IsSupport: false,
                [new TenantAccess(Guid.NewGuid(), "t", TenantRole.TenantAdmin)]) { IsSystem = true };
            Assert.Throws<ArgumentException>(() => new WarmUpIdentity(admin));
            Assert.Throws<ArgumentException>(() => new WarmUpIdentity(admin with { IsSystem = false, Tenants = [new TenantAccess(Guid.NewGuid(), "t", TenantRole.Auditor)] }));
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }
}
