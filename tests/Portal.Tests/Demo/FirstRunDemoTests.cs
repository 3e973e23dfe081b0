using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Core.Gateway;
using Portal.Demo;
using Portal.Tests.Support;

namespace Portal.Tests.Demo;

/// <summary>
/// The first run on an empty database: the demo creates its resources through the real services and its generator
/// sends traffic through the portal's own /v1, so the samples and the audit log fill with data from the run.
/// </summary>
public sealed class FirstRunDemoTests
{
    [Fact]
    public async Task FirstRun_CreatesTheDemo_SendsTrafficWithColdStarts_AndASecondStartReusesIt()
    {
        var first = new PortalApp().WithDemo();
        first.KeepOnDispose = true;
        var dataDirectory = first.DataDirectory;
        PortalApp? second = null;
        try
        {
            await first.InitializeAsync();
            await WaitForAsync(first, TimeSpan.FromSeconds(50), async db =>
            {
                var samples = await db.RequestSamples.AsNoTracking().Where(s => s.StatusCode == 200 && !s.Shadow).ToListAsync();
                // The demo streams 70 % of its requests, picked at random: wait for both kinds, not for the first few.
                return samples.Any(s => s.Model == "chat-small")
                    && samples.Any(s => s.Model == "chat-large" && s.ColdStart)
                    && samples.Any(s => s.Model == "chat-large" && !s.ColdStart)
                    && samples.Any(s => s.Streamed)
                    && samples.Any(s => !s.Streamed);
            });

            await using (var scope = first.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                var tenant = await db.Tenants.SingleAsync(t => t.Slug == "demo");
                var endpoints = await db.Endpoints.Include(e => e.PrimaryTarget).Where(e => e.TenantId == tenant.Id).ToListAsync();
                Assert.Equal(TargetKind.Serverless, endpoints.Single(e => e.Name == "chat-large").PrimaryTarget!.Kind);
                Assert.Equal(TargetKind.Dedicated, endpoints.Single(e => e.Name == "chat-small").PrimaryTarget!.Kind);
                Assert.True(endpoints.Single(e => e.Name == "chat-large").PrimaryTarget!.ProtectedApiKey is { Length: > 0 });

                var samples = await db.RequestSamples.AsNoTracking().Where(s => s.TenantId == tenant.Id).ToListAsync();
                Assert.Contains(samples, s => s.Streamed && s.TtftMs > 0);
                Assert.Contains(samples, s => !s.Streamed && s.StatusCode == 200);
                Assert.All(samples.Where(s => s.ColdStart), s => Assert.Equal("chat-large", s.Model));

                var demoActions = await db.AuditRecords.AsNoTracking()
                    .Where(r => r.TenantId == tenant.Id && r.ActorId == DemoResources.ActorId).Select(r => r.Action).ToListAsync();
                Assert.Contains("endpoint.created", demoActions);
                Assert.Contains("deployment.created", demoActions);
                Assert.Contains("key.created", demoActions);
                Assert.Contains("target.probes_set", demoActions);

                // Watched passively, its cold starts judged by the simulator's idle timeout (300 s × time scale 0.02).
                var serverless = endpoints.Single(e => e.Name == "chat-large").PrimaryTarget!;
                Assert.False(serverless.TtftProbeOptIn);
                Assert.Equal(6, serverless.IdleGapSeconds);
            }

            using (var admin = first.NewClient())
            {
                await admin.SignInAsync("admin@demo.local");
                var ttft = await admin.GetFromJsonAsync<JsonElement>("api/v1/observability/ttft?model=chat-large&window=1h");
                var gap = Assert.Single(ttft.GetProperty("idleGaps").EnumerateArray());
                Assert.Equal("configured", gap.GetProperty("source").GetString());
                Assert.Contains(ttft.GetProperty("coldStarts").EnumerateArray(), c => c.GetProperty("afterIdleGap").GetBoolean());
            }

            var traffic = first.Services.GetRequiredService<DemoTraffic>();
            Assert.True(traffic.Sent > 0);
            await ((IAsyncLifetime)first).DisposeAsync();

            // A restart on the same data finds the endpoint, the deployment, the key and the running simulator.
            second = PortalApp.OnExistingData(dataDirectory).WithDemo();
            await second.InitializeAsync();
            var restarted = second.Services.GetRequiredService<DemoTraffic>();
            await WaitForAsync(second, TimeSpan.FromSeconds(20), _ => Task.FromResult(restarted.Sent > 0));
            await using (var scope = second.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                var creations = await db.AuditRecords.AsNoTracking().Where(r => r.ActorId == DemoResources.ActorId)
                    .GroupBy(r => r.Action).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
                Assert.All(creations, c => Assert.Equal(1, c.Count));
                Assert.DoesNotContain(creations, c => c.Key == "endpoint.flipped");
                Assert.Equal(2, await db.Endpoints.CountAsync());
            }
        }
        finally
        {
            if (second is not null)
            {
                await ((IAsyncLifetime)second).DisposeAsync();
            }
            else
            {
                first.KeepOnDispose = false;
                await ((IAsyncLifetime)first).DisposeAsync();
            }
        }
    }

    private static async Task WaitForAsync(PortalApp app, TimeSpan timeout, Func<PortalDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                if (await condition(scope.ServiceProvider.GetRequiredService<PortalDbContext>()))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                var traffic = app.Services.GetRequiredService<DemoTraffic>();
                Assert.Fail($"The demo did not get there in {timeout.TotalSeconds} s. Status: {traffic.Status}; sent {traffic.Sent}, errors {traffic.Errors}; " +
                    $"last error: {traffic.LastError}; {string.Join("; ", traffic.Snapshot().Select(t => $"{t.Endpoint} {t.Phase} {t.Sent}/{t.Errors}"))}");
            }

            await Task.Delay(500);
        }
    }
}
