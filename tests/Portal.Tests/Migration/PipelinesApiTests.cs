using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>Pipelines through the management API: stored per tenant, audited, and reported with the cascade rule.</summary>
public sealed class PipelinesApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    private static async Task<JsonElement> ServerlessAsync(HttpClient client, string name)
    {
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new { baseUrl = "http://127.0.0.1:9/v1/", upstreamModel = "vendor-model", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Cascade_SumsCriticalServerlessStages_PrefersObservedColdStarts_AndNamesTheStagesToMove()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var retrieve = await ServerlessAsync(client, "embed-pl");
        var rerank = await ServerlessAsync(client, "rerank-pl");
        var generate = await ServerlessAsync(client, "generate-pl");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.RequestSamples.Add(new RequestSampleRow
            {
                Timestamp = DateTimeOffset.UtcNow.AddHours(-1), TenantId = await TenantOfAsync(client),
                EndpointId = rerank.GetProperty("id").GetGuid(), TargetId = rerank.GetProperty("primary").GetProperty("id").GetGuid(),
                Tier = TargetKind.Serverless, StatusCode = 200, Streamed = true, TtftMs = 2_500, EndToEndMs = 3_000, ColdStart = true,
            });
            await db.SaveChangesAsync();
        }

        var created = await client.PostAsJsonAsync("api/v1/pipelines", new
        {
            name = "rag",
            stages = new object[]
            {
                new { name = "retrieve", endpointId = retrieve.GetProperty("id").GetGuid(), onCriticalPath = true, estimatedColdStartMs = 8_000 },
                new { name = "rerank", endpointId = rerank.GetProperty("id").GetGuid(), onCriticalPath = true, estimatedColdStartMs = 9_000 },
                new { name = "log", endpointId = generate.GetProperty("id").GetGuid(), onCriticalPath = false, estimatedColdStartMs = 20_000 },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var report = await client.GetFromJsonAsync<JsonElement>($"api/v1/pipelines/{id}/cascade");

        // 8 s (estimated) + 2.5 s (observed, preferred over the 9 s estimate); the off-path stage adds nothing.
        Assert.Equal(10_500, report.GetProperty("worstCaseMs").GetDouble());
        Assert.False(report.GetProperty("withinBudget").GetBoolean());
        Assert.Equal(2_500, report.GetProperty("worstCaseAfterMs").GetDouble());
        var stages = report.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(["retrieve"], stages.Where(s => s.GetProperty("moveToDedicated").GetBoolean()).Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("Observed", stages[1].GetProperty("potentialSource").GetString());
        Assert.Equal(0, stages[2].GetProperty("contributionMs").GetDouble());

        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var log = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={await TenantOfAsync(client)}&resourceId={id}");
        Assert.Contains(log.GetProperty("records").EnumerateArray(), r => r.GetProperty("action").GetString() == "pipeline.created");
    }

    [Fact]
    public async Task Pipelines_AuditorMayReadButNotChange_AndAnUnknownEndpointIsRefused()
    {
        using var dev = app.NewClient();
        await dev.SignInAsync("dev@demo.local");
        var endpoint = await ServerlessAsync(dev, "solo-pl");
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        var body = new { name = "solo", stages = new[] { new { name = "only", endpointId = endpoint.GetProperty("id").GetGuid(), onCriticalPath = true } } };

        var refused = await auditor.PostAsJsonAsync("api/v1/pipelines", body);
        var unknown = await dev.PostAsJsonAsync("api/v1/pipelines", new { name = "ghost", stages = new[] { new { name = "x", endpointId = Guid.NewGuid(), onCriticalPath = true } } });
        var listed = await auditor.GetAsync("api/v1/pipelines");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Stages[0]", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    private static async Task<Guid> TenantOfAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
}
