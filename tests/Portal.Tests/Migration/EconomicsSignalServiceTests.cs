using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>
/// Economics through the signals API: ten days of a serverless endpoint's production traffic stored as the gateway
/// stores it (minute and hour rollups), measured against the catalog's capacity of one replica of the smallest
/// configuration that fits. Dedicated pays off once a replica would run at 40–50 % utilisation.
/// </summary>
public sealed class EconomicsSignalServiceTests(PortalApp app) : IClassFixture<PortalApp>
{
    /// <summary>The catalog's figure for Llama 3.1 8B on one H100 (models.json).</summary>
    private const double CatalogCapacity = 5103;

    [Theory]
    [InlineData("economics-45", 0.45, "fires")]
    [InlineData("economics-30", 0.30, "ok")]
    public async Task Economics_FiresInsideTheBand_AndNotBelowIt(string name, double share, string expected)
    {
        app.AllowOutbound(new Uri("http://127.0.0.1:9/"));
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new { baseUrl = "http://127.0.0.1:9/v1/", upstreamModel = "meta-llama/Llama-3.1-8B-Instruct", region = "us-east", outputPricePerMillion = 0.1m },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var endpointId = view.GetProperty("id").GetGuid();
        var targetId = view.GetProperty("primary").GetProperty("id").GetGuid();

        var start = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(-10).Ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero);
        var tokens = (long)Math.Round(share * CatalogCapacity * (DateTimeOffset.UtcNow - start).TotalSeconds);
        await StoreTrafficAsync(endpointId, targetId, start, tokens);

        var report = await client.GetFromJsonAsync<JsonElement>($"api/v1/signals?model={name}");

        var economics = report.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "economics");
        Assert.Equal("utilisation", economics.GetProperty("unit").GetString());
        Assert.Equal(expected, economics.GetProperty("state").GetString());
        Assert.Equal(share, economics.GetProperty("value").GetDouble(), 3);
        Assert.Equal(share, report.GetProperty("utilisation").GetDouble(), 3);
        Assert.StartsWith("catalog: MLPerf Inference v5.1", report.GetProperty("capacity").GetProperty("source").GetString());
        Assert.Equal(expected == "fires", report.GetProperty("moveToDedicated").GetBoolean());
    }

    /// <summary>One production hour, as the sample writer leaves it: a minute row and the hour row that merges it.</summary>
    private async Task StoreTrafficAsync(Guid endpointId, Guid targetId, DateTimeOffset start, long completionTokens)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenantId = await db.Endpoints.Where(e => e.Id == endpointId).Select(e => e.TenantId).SingleAsync();
        var ttft = new LatencyHistogram();
        for (var i = 0; i < 1000; i++)
        {
            ttft.Record(200);
        }

        var rollup = new MinuteRollup(new RollupKey(start, endpointId, targetId, "us-east", "serverless", TrafficKind.Production), ttft,
            1000, 0, 0, 1000 * 500, completionTokens, null);
        db.MinuteRollups.Add(MinuteRollupRow.From(tenantId, rollup));
        db.HourRollups.Add(HourRollupRow.From(tenantId, rollup));
        await db.SaveChangesAsync();
    }
}
