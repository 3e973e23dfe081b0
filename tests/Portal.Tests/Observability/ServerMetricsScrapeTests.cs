using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Observability;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// The scrape job against a real simulator's /metrics: the first scrape sets the baseline, the next ones record exactly
/// the requests sent between them — across a portal restart and across two instances on one database — and the TTFT
/// page shows the engine's p50/p99 beside the gateway's.
/// </summary>
public sealed class ServerMetricsScrapeTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task ScrapesTheSimulatorsTtftHistogram_AsADeltaBetweenScrapes_AndThePageShowsIt()
    {
        await using var simulator = await StartSimulatorAsync();
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (tenantId, targetId, openAi) = await ServerlessEndpointAsync(app, client, "scraped-model", simulator);
        using var _ = openAi;

        await SendAsync(openAi, app, "scraped-model", 1);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Contains(await scope.ServiceProvider.GetRequiredService<ServerMetricsScrapeJob>().SourcesAsync(CancellationToken.None),
                s => s.TargetId == targetId && s.TenantId == tenantId && s.MetricsUri == new Uri(simulator.BaseUri, "metrics"));
        }

        Assert.True(await ScrapeAsync(app) >= 1);
        var engineAtFrom = await EngineCountAsync(app, targetId);
        var from = DateTimeOffset.UtcNow; // the first scrape is only the baseline: what came before is not in the window
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ServerTtftBaselines.AnyAsync(b => b.TargetId == targetId));
        }

        await SendAsync(openAi, app, "scraped-model", 12);
        await ScrapeAsync(app);

        await AssertEachEngineRequestCountedOnceAsync(app, tenantId, targetId, from, engineAtFrom, 12);
        var summary = await SummaryAsync(app, tenantId, targetId, from);
        // The engine's TTFT is the simulated prefill (about 50 ms), never the gateway's connection or queueing time.
        Assert.InRange(summary.P50!.Value, 20, 1000);
        Assert.True(summary.P99 >= summary.P50);
        Assert.Null((await SummaryAsync(app, Guid.NewGuid(), targetId, DateTimeOffset.MinValue)).LastScrape); // another tenant sees nothing

        var page = await client.GetStringAsync("observability?model=scraped-model&window=1h");
        Assert.Contains("data-testid=\"server-ttft-table\"", page);
        Assert.Contains("Engine p50", page);
        Assert.DoesNotContain("No engine metrics scraped yet", page);
    }

    [Fact]
    public async Task DeltasContinueAcrossARestart_AndTwoInstancesOnOneDatabase_CountEachRequestOnce()
    {
        await using var simulator = await StartSimulatorAsync();
        var first = new PortalApp();
        await ((IAsyncLifetime)first).InitializeAsync();
        using var client = first.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (tenantId, targetId, openAi) = await ServerlessEndpointAsync(first, client, "restart-scraped", simulator);
        using var _ = openAi;
        await SendAsync(openAi, first, "restart-scraped", 1);
        await ScrapeAsync(first);
        var engineAtFrom = await EngineCountAsync(first, targetId); // the simulator's own cumulative count, as last read
        var from = DateTimeOffset.UtcNow;
        var sent = await SendAsync(openAi, first, "restart-scraped", 5);
        await ScrapeAsync(first);

        first.KeepOnDispose = true;
        await first.DisposeAsync();
        var second = PortalApp.OnExistingData(first.DataDirectory).AllowOutbound(simulator.BaseUri);
        second.KeepOnDispose = true;
        await ((IAsyncLifetime)second).InitializeAsync();
        sent += await SendAsync(openAi, second, "restart-scraped", 4);
        await ScrapeAsync(second); // against the baseline the stopped portal left, not a fresh one
        await AssertEachEngineRequestCountedOnceAsync(second, tenantId, targetId, from, engineAtFrom, sent);

        var third = PortalApp.OnExistingData(first.DataDirectory).AllowOutbound(simulator.BaseUri);
        await ((IAsyncLifetime)third).InitializeAsync();
        sent += await SendAsync(openAi, third, "restart-scraped", 3);
        // Both instances' runs at once: one holds the lock, the other skips; then each runs in turn.
        await Task.WhenAll(Task.Run(() => RunOnceAsync(second)), Task.Run(() => RunOnceAsync(third)));
        await ScrapeAsync(third);
        sent += await SendAsync(openAi, second, "restart-scraped", 2);
        await ScrapeAsync(third);
        await ScrapeAsync(second);

        Assert.Equal(14, sent);
        await AssertEachEngineRequestCountedOnceAsync(third, tenantId, targetId, from, engineAtFrom, sent);
        await AssertEachEngineRequestCountedOnceAsync(second, tenantId, targetId, from, engineAtFrom, sent);
        await second.DisposeAsync();
        await ((IAsyncLifetime)third).DisposeAsync();
    }

    [Fact]
    public async Task TheRetentionJob_DeletesPointsAndBaselinesOlderThanTheServerTtftRetention_AndKeepsNewerOnes()
    {
        var (tenant, target) = (Guid.NewGuid(), Guid.NewGuid());
        var histogram = new Portal.Core.Metrics.ServerTtftHistogram([0.1, double.PositiveInfinity], [1, 1], 1, 0.05).ToBytes();
        var now = DateTimeOffset.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            foreach (var age in new[] { 31, 29 })
            {
                db.ServerTtftPoints.Add(new() { TenantId = tenant, TargetId = target, At = now.AddDays(-age), Count = 1, SumSeconds = 0.05, Histogram = histogram });
                db.ServerTtftBaselines.Add(new() { TenantId = tenant, TargetId = target, Source = $"replica/{age}", ScrapedAt = now.AddDays(-age), Histogram = histogram });
            }

            await db.SaveChangesAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RawSampleRetentionJob>().RunAsync(CancellationToken.None);
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.Equal([now.AddDays(-29).UtcTicks], await db.ServerTtftPoints.Where(p => p.TargetId == target).Select(p => p.At.UtcTicks).ToListAsync());
            Assert.Equal(["replica/29"], await db.ServerTtftBaselines.Where(b => b.TargetId == target).Select(b => b.Source).ToListAsync());
        }

        Assert.Equal(1, (await SummaryAsync(app, tenant, target, now.AddDays(-30))).Count);
    }

    private static Task<SimulatorServer> StartSimulatorAsync() =>
        SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = 0, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, NoisyNeighborMeanIntervalSeconds = 0,
            PrefillOverheadMs = 50, InterTokenLatencyMs = 1, Seed = 3,
        });

    private static async Task<(Guid TenantId, Guid TargetId, HttpClient OpenAi)> ServerlessEndpointAsync(PortalApp portal, HttpClient client, string name,
        SimulatorServer simulator)
    {
        portal.AllowOutbound(simulator.BaseUri);
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new { baseUrl = new Uri(simulator.BaseUri, "v1/").ToString(), upstreamModel = "vendor-llama-8b", region = "us-east",
                inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var targetId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("primary").GetProperty("id").GetGuid();
        var secret = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = $"{name} app" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        var openAi = new HttpClient();
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        await using var scope = portal.Services.CreateAsyncScope();
        var tenantId = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Targets.Where(t => t.Id == targetId).Select(t => t.TenantId).SingleAsync();
        return (tenantId, targetId, openAi);
    }

    /// <summary>Sends until <paramref name="count"/> requests succeeded (a new instance routes once it has loaded the endpoint).</summary>
    private static async Task<int> SendAsync(HttpClient openAi, PortalApp portal, string model, int count)
    {
        var ok = 0;
        for (var attempt = 0; ok < count && attempt < 50 + count; attempt++)
        {
            using var response = await openAi.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(portal.BaseAddress, "v1/chat/completions"))
            {
                Content = JsonContent.Create(new { model, stream = true, max_tokens = 4, messages = new[] { new { role = "user", content = "Scrape me" } } }),
            });
            await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ok++;
            }
            else
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal(count, ok);
        return ok;
    }

    private static async Task<int?> RunOnceAsync(PortalApp portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ServerMetricsScrapeJob>().RunAsync(CancellationToken.None);
    }

    /// <summary>One completed run; while the recurring job (of this or another instance) holds the lock, waits for it.</summary>
    private static async Task<int> ScrapeAsync(PortalApp portal)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await RunOnceAsync(portal) is { } scraped)
            {
                return scraped;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The scrape lock stayed held for 10 s.");
    }

    /// <summary>
    /// The window holds exactly what the engine counted between the first and the last scrape: the requests this test
    /// sent, plus any TTFT probe the health job sent the same engine meanwhile (one a minute, so at most a few).
    /// </summary>
    private static async Task AssertEachEngineRequestCountedOnceAsync(PortalApp portal, Guid tenantId, Guid targetId, DateTimeOffset from,
        long engineAtFrom, int sent)
    {
        var engineSince = await EngineCountAsync(portal, targetId) - engineAtFrom;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var probes = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ProbeRecords
                .CountAsync(p => p.TargetId == targetId && p.Kind == Portal.Data.Entities.ProbeKind.Ttft);
            Assert.InRange(engineSince, sent, sent + probes);
        }

        Assert.Equal(engineSince, (await SummaryAsync(portal, tenantId, targetId, from)).Count);
    }

    /// <summary>The engine's cumulative TTFT count at the last scrape: the baselines hold exactly what was read.</summary>
    private static async Task<long> EngineCountAsync(PortalApp portal, Guid targetId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var baselines = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ServerTtftBaselines
            .Where(b => b.TargetId == targetId).Select(b => b.Histogram).ToListAsync();
        return (long)Math.Round(baselines.Sum(h => Portal.Core.Metrics.ServerTtftHistogram.FromBytes(h).Count));
    }

    private static async Task<ServerTtftSummary> SummaryAsync(PortalApp portal, Guid tenantId, Guid targetId, DateTimeOffset from)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ServerTtftHistory>().SummaryAsync(tenantId, targetId, from);
    }
}
