using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Gateway.Seams;
using Portal.Observability;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// Samples written through the real sink into the real SQLite file come back through /api/v1 as percentiles merged
/// from minute rollups, cold-start events and migration signals.
/// </summary>
public sealed class ObservabilityApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    private async Task<(HttpClient Client, Guid TenantId, Guid EndpointId, Guid TargetId)> RegisterAsync(string name)
    {
        var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name, target = new { baseUrl = "http://127.0.0.1:9/v1", upstreamModel = name, region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        created.EnsureSuccessStatusCode();
        var endpoint = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = endpoint.GetProperty("id").GetGuid();
        await using var scope = app.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Endpoints.AsNoTracking().SingleAsync(e => e.Id == id);
        return (client, row.TenantId, id, row.PrimaryTargetId);
    }

    private async Task WriteAsync(Guid tenant, Guid endpoint, Guid target, IReadOnlyList<(DateTimeOffset Time, double Ttft, bool Shadow)> samples)
    {
        var sink = app.Services.GetRequiredService<ISampleSink>();
        // Several batches, so minutes written twice must merge into one rollup row.
        foreach (var batch in samples.Chunk(97))
        {
            await sink.WriteBatchAsync(batch.Select(s => new RequestSample
            {
                Timestamp = s.Time, TenantId = tenant, KeyId = Guid.NewGuid(), Operation = GatewayOperation.Chat, Model = "m",
                EndpointId = endpoint, TargetId = target, Tier = TargetKind.Serverless, Region = "us-east", Shadow = s.Shadow, StatusCode = 200,
                Streamed = true, TtftMs = s.Ttft, EndToEndMs = s.Ttft + 100, PromptTokens = 100, CompletionTokens = 50, ColdStart = s.Ttft > 5000, Attempts = 1,
            }).ToList(), CancellationToken.None);
        }
    }

    [Fact]
    public async Task SpikyServerlessTraffic_GivesExactPercentilesWithinOnePercent_ColdStarts_AndMoveToDedicated()
    {
        var (client, tenant, endpoint, target) = await RegisterAsync("spiky-model");
        var now = DateTimeOffset.UtcNow;
        var random = new Random(7);
        var samples = Enumerable.Range(0, 1000)
            .Select(i => (now.AddMinutes(-50).AddSeconds(i * 2.5), i % 50 == 0 ? 9000 + random.NextDouble() * 3000 : 150 + random.NextDouble() * 400 + (i % 10 == 0 ? 900 : 0), false))
            .ToList();
        samples.AddRange(Enumerable.Range(0, 50).Select(i => (now.AddMinutes(-30).AddSeconds(i), 20_000.0, true)));
        await WriteAsync(tenant, endpoint, target, samples);

        var ttft = await client.GetFromJsonAsync<JsonElement>("api/v1/observability/ttft?model=spiky-model&window=1h");

        var production = samples.Where(s => !s.Item3).Select(s => s.Item2).ToList();
        Assert.Equal(1000, ttft.GetProperty("count").GetInt64());
        foreach (var (name, p) in new[] { ("p50", 50.0), ("p90", 90.0), ("p95", 95.0), ("p99", 99.0), ("p999", 99.9) })
        {
            var exact = ExactPercentiles.Percentile(production, p)!.Value;
            var merged = ttft.GetProperty("percentiles").GetProperty(name).GetDouble();
            Assert.InRange(merged, exact * 0.99, exact * 1.01);
        }

        Assert.Equal(1000, ttft.GetProperty("histogram").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        Assert.True(ttft.GetProperty("histogram").EnumerateArray().Last().GetProperty("upperMs").ValueKind == JsonValueKind.Null);
        Assert.Equal(20, ttft.GetProperty("coldStarts").GetArrayLength());
        Assert.True(ttft.GetProperty("coldStarts")[19].GetProperty("afterIdleGap").GetBoolean(), "the first request ever follows an idle gap");
        Assert.All(ttft.GetProperty("coldStarts").EnumerateArray(), c => Assert.Equal("chat", c.GetProperty("operation").GetString()));
        var tiers = ttft.GetProperty("tiers").EnumerateArray().ToDictionary(t => t.GetProperty("tier").GetString()!);
        Assert.Equal(1000, tiers["serverless"].GetProperty("count").GetInt64());
        Assert.Equal(50, tiers["shadow"].GetProperty("count").GetInt64());
        Assert.Equal(0.02, tiers["serverless"].GetProperty("coldStartRate").GetDouble(), 6);
        // 100 × $0.2 + 50 × $0.6 per million tokens.
        Assert.Equal(0.00005m, tiers["serverless"].GetProperty("costPerRequest").GetDecimal());
        // The shadow tier is costed too: its copies' tokens at the target's prices.
        Assert.Equal(0.00005m, tiers["shadow"].GetProperty("costPerRequest").GetDecimal());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var rows = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().MinuteRollups.AsNoTracking().Where(r => r.EndpointId == endpoint).ToListAsync();
            Assert.Equal(rows.Count, rows.Select(r => r.Key).Distinct().Count());
            Assert.Equal(1050, rows.Sum(r => r.Requests));
        }

        var signals = await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=spiky-model");
        var byKind = signals.GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("kind").GetString()!);
        Assert.Equal("fires", byKind["tailDivergence"].GetProperty("state").GetString());
        Assert.True(byKind["tailDivergence"].GetProperty("value").GetDouble() > 3);
        Assert.Equal("fires", byKind["coldStarts"].GetProperty("state").GetString());
        Assert.True(signals.GetProperty("moveToDedicated").GetBoolean());
        Assert.StartsWith("Move to dedicated:", signals.GetProperty("recommendation").GetString());
        Assert.Contains("/observability?model=spiky-model", byKind["coldStarts"].GetProperty("evidence").GetString());

        var page = await client.GetStringAsync("observability?model=spiky-model&window=1h");
        Assert.Contains("data-testid=\"ttft-histogram\"", page);
        Assert.Contains("<rect", page);
        Assert.Contains("data-testid=\"cold-start-table\"", page);
        var migration = await client.GetStringAsync("migration?model=spiky-model");
        Assert.Contains("Move to dedicated:", migration);
        Assert.Contains("data-testid=\"break-even-slot\"", migration);
        client.Dispose();
    }

    [Fact]
    public async Task HourRows_StayTheMergeOfTheirMinutes_ThroughLateBatchesAnUpgradeAndTheBackfill_AndLongWindowsReadThem()
    {
        var (client, tenant, endpoint, target) = await RegisterAsync("hourly-model");
        var now = DateTimeOffset.UtcNow;
        var random = new Random(3);
        // Three hours and a bit, written out of order so hours and minutes already stored receive late samples.
        var samples = Enumerable.Range(0, 1200)
            .Select(i => (now.AddMinutes(-200).AddSeconds(i * 10), 100 + random.NextDouble() * 900 + (i % 97 == 0 ? 8000 : 0), i % 13 == 0))
            .OrderBy(_ => random.Next())
            .ToList();
        await WriteAsync(tenant, endpoint, target, samples);
        await AssertHoursMatchMinutesAsync(endpoint, 1200);

        // A database from before hour rows: minutes only. The first batch of an hour seeds it from the stored minutes;
        // the backfill builds the others; a second run finds nothing.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().HourRollups.Where(r => r.EndpointId == endpoint).ExecuteDeleteAsync();
        }

        await WriteAsync(tenant, endpoint, target, [(now.AddMinutes(-1), 250.0, false)]);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var backfill = scope.ServiceProvider.GetRequiredService<HourRollupBackfillJob>();
            Assert.True(await backfill.RunAsync(CancellationToken.None) >= 3);
            Assert.Equal(0, await backfill.RunAsync(CancellationToken.None));
        }

        await AssertHoursMatchMinutesAsync(endpoint, 1201);

        var production = samples.Where(s => !s.Item3).Select(s => s.Item2).Append(250.0).ToList();
        foreach (var window in new[] { "24h", "7d", "30d" })
        {
            var ttft = await client.GetFromJsonAsync<JsonElement>($"api/v1/observability/ttft?model=hourly-model&window={window}");
            Assert.Equal(production.Count, ttft.GetProperty("count").GetInt64());
            var exact = ExactPercentiles.Percentile(production, 99)!.Value;
            Assert.InRange(ttft.GetProperty("percentiles").GetProperty("p99").GetDouble(), exact * 0.99, exact * 1.01);
            Assert.Equal(production.Count, ttft.GetProperty("series").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
        }

        client.Dispose();
    }

    private async Task AssertHoursMatchMinutesAsync(Guid endpoint, long requests)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var minutes = await db.MinuteRollups.AsNoTracking().Where(r => r.EndpointId == endpoint).ToListAsync();
        var hours = (await db.HourRollups.AsNoTracking().Where(r => r.EndpointId == endpoint).ToListAsync()).ToDictionary(r => r.Key);
        var expected = RollupLevels.ToHours(minutes.Select(r => r.ToRollup()));
        Assert.Equal(requests, minutes.Sum(r => r.Requests));
        Assert.Equal(expected.Count, hours.Count);
        foreach (var hour in expected)
        {
            var stored = hours[hour.Key].ToRollup();
            Assert.Equal((hour.Requests, hour.Errors, hour.ColdStarts, hour.PromptTokens), (stored.Requests, stored.Errors, stored.ColdStarts, stored.PromptTokens));
            Assert.Equal(hour.Ttft.BucketCounts(), stored.Ttft.BucketCounts());
            Assert.Equal(hour.Ttft.Count, stored.Ttft.Count);
        }
    }

    [Fact]
    public async Task SteadyTraffic_FiresNeither_AndTheFleetListsEveryModel()
    {
        var (client, tenant, endpoint, target) = await RegisterAsync("steady-model");
        var now = DateTimeOffset.UtcNow;
        await WriteAsync(tenant, endpoint, target, Enumerable.Range(0, 300).Select(i => (now.AddMinutes(-20).AddSeconds(i * 3), 200.0 + i % 40, false)).ToList());

        var signals = await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=steady-model");
        var byKind = signals.GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("kind").GetString()!);
        Assert.Equal("ok", byKind["tailDivergence"].GetProperty("state").GetString());
        Assert.Equal("ok", byKind["coldStarts"].GetProperty("state").GetString());
        Assert.False(signals.GetProperty("moveToDedicated").GetBoolean());
        Assert.Equal("Stay on serverless: migration is premature.", signals.GetProperty("recommendation").GetString());

        var fleet = await client.GetFromJsonAsync<JsonElement>("api/v1/signals");
        Assert.Contains(fleet.GetProperty("models").EnumerateArray(), m => m.GetProperty("model").GetString() == "steady-model");

        var missing = await client.GetAsync("api/v1/observability/ttft?model=no-such-model");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        var badWindow = await client.GetAsync("api/v1/observability/ttft?model=steady-model&window=2h");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badWindow.StatusCode);
        client.Dispose();
    }
}
