using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Tests.Residency;

/// <summary>
/// Region locks through the management API on a real portal: an EU policy refuses a US deployment, a lock change that
/// would strand a running deployment is refused naming it, and the residency report's counts are the samples' counts.
/// </summary>
public sealed class ResidencyApiTests(PortalApp app) : IClassFixture<PortalApp>, IAsyncLifetime
{
    private static object Spec(string name, string region) => new
    {
        name, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm", gpuType = "h100-80gb",
        gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 2, region,
    };

    private HttpClient _admin = default!;
    private HttpClient _developer = default!;
    private HttpClient _auditor = default!;

    public async Task InitializeAsync()
    {
        (_admin, _developer, _auditor) = (app.NewClient(), app.NewClient(), app.NewClient());
        await _admin.SignInAsync("admin@demo.local");
        await _developer.SignInAsync("dev@demo.local");
        await _auditor.SignInAsync("auditor@demo.local");
        var policy = await _admin.PutAsJsonAsync("api/v1/residency/policy", new { jurisdictions = new[] { "EU" }, reason = "GDPR: EU data stays in the EU" });
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
    }

    public Task DisposeAsync()
    {
        _admin.Dispose();
        _developer.Dispose();
        _auditor.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EuLockedTenant_CannotDeployInAUsRegion_AndTheRefusalIsAudited()
    {
        var refused = await _developer.PostAsJsonAsync("api/v1/deployments", Spec("eu-only-us-attempt", "us-east"));
        var check = await (await _developer.PostAsJsonAsync("api/v1/deployments/check", Spec("eu-only-us-check", "us-west")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var allowed = await _developer.PostAsJsonAsync("api/v1/deployments/check", Spec("eu-only-eu-check", "eu-frankfurt"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("outside this organisation's region lock", problem.GetProperty("errors").GetProperty("Region")[0].GetString());
        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.True((await allowed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());
        var audit = await _auditor.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={await TenantIdAsync()}&action=residency.deploy_refused");
        var record = Assert.Single(audit.GetProperty("records").EnumerateArray(), r => r.GetProperty("resourceId").GetString() == "eu-only-us-attempt");
        Assert.Equal("Denied", record.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ChangingTheLock_WhileADeploymentRuns_IsRefusedWithTheDeploymentsAffected()
    {
        var created = await _developer.PostAsJsonAsync("api/v1/deployments", Spec("frankfurt-runs", "eu-frankfurt"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpoint = await EndpointIdAsync("frankfurt-runs");

        var toUs = await _admin.PutAsJsonAsync("api/v1/residency/policy", new { jurisdictions = new[] { "US" }, reason = "move to the US" });
        var toParis = await _admin.PutAsJsonAsync($"api/v1/residency/endpoints/{endpoint}/lock", new { regions = new[] { "eu-paris" }, reason = "Paris only" });
        var outsidePolicy = await _admin.PutAsJsonAsync($"api/v1/residency/endpoints/{endpoint}/lock", new { regions = new[] { "us-east" }, reason = "US" });
        var noReason = await _admin.PutAsJsonAsync($"api/v1/residency/endpoints/{endpoint}/lock", new { regions = new[] { "eu-frankfurt" } });
        var byDeveloper = await _developer.PutAsJsonAsync($"api/v1/residency/endpoints/{endpoint}/lock", new { regions = new[] { "eu-frankfurt" }, reason = "x" });
        var toFrankfurt = await _admin.PutAsJsonAsync($"api/v1/residency/endpoints/{endpoint}/lock", new { regions = new[] { "eu-frankfurt" }, reason = "pin to Frankfurt" });

        Assert.Equal(HttpStatusCode.Conflict, toUs.StatusCode);
        var stranded = (await toUs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("strandedDeployments");
        Assert.Contains(stranded.EnumerateArray(), s => s.GetString()!.StartsWith("frankfurt-runs: eu-frankfurt", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, toParis.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, outsidePolicy.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byDeveloper.StatusCode);
        Assert.Equal(HttpStatusCode.OK, toFrankfurt.StatusCode);

        var overview = await _auditor.GetFromJsonAsync<JsonElement>("api/v1/residency");
        Assert.Equal(["eu-amsterdam", "eu-frankfurt", "eu-paris"], overview.GetProperty("tenantPolicy").EnumerateArray().Select(r => r.GetString()));
        var row = overview.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "frankfurt-runs");
        Assert.Equal(["eu-frankfurt"], row.GetProperty("effective").EnumerateArray().Select(r => r.GetString()));
        var frankfurt = overview.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "eu-frankfurt");
        Assert.Contains(frankfurt.GetProperty("deployments").EnumerateArray(), d => d.GetProperty("name").GetString() == "frankfurt-runs");
        Assert.False(overview.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "us-east")
            .GetProperty("allowedByPolicy").GetBoolean());

        // The gateway's snapshot carries the endpoint's effective lock.
        await using var scope = app.Services.CreateAsyncScope();
        var snapshot = scope.ServiceProvider.GetRequiredService<Portal.Inference.GatewaySnapshot>();
        await snapshot.RefreshAsync();
        var tenant = await TenantIdAsync();
        var gatewayEndpoint = await snapshot.FindEndpointAsync(tenant, "frankfurt-runs", CancellationToken.None);
        Assert.Equal(["eu-frankfurt"], gatewayEndpoint!.AllowedRegions!.Order());
        await app.StopReplicasAsync();
    }

    [Fact]
    public async Task ResidencyReport_CountsEqualTheSamples_AndListsLockHistoryAndRefusals()
    {
        Assert.Equal(HttpStatusCode.Created, (await _developer.PostAsJsonAsync("api/v1/deployments", Spec("report-model", "eu-paris"))).StatusCode);
        await _developer.PostAsJsonAsync("api/v1/deployments", Spec("report-refused", "us-south"));
        var endpoint = await EndpointIdAsync("report-model");
        var tenant = await TenantIdAsync();
        var from = DateTimeOffset.UtcNow.AddHours(-2);
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var random = new Random(9);
        string[] regions = ["eu-paris", "eu-frankfurt", "eu-amsterdam"];
        var rows = Enumerable.Range(0, 300).Select(i => new RequestSampleRow
        {
            TenantId = tenant, KeyId = Guid.NewGuid(), EndpointId = endpoint, Model = "report-model", Operation = GatewayOperation.Chat,
            Region = regions[random.Next(regions.Length)], Burst = random.Next(4) == 0, Shadow = random.Next(10) == 0, StatusCode = 200,
            // A quarter falls before the period and must not be counted.
            Timestamp = i % 4 == 0 ? from.AddMinutes(-5) : from.AddMinutes(random.Next(1, 110)),
        }).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.RequestSamples.AddRange(rows);
            await db.SaveChangesAsync();
        }

        var query = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        var report = await _auditor.GetFromJsonAsync<JsonElement>($"api/v1/residency/report?{query}");
        var csv = await _auditor.GetStringAsync($"api/v1/residency/report/export?format=csv&{query}");
        var jsonl = (await _auditor.GetStringAsync($"api/v1/residency/report/export?format=jsonl&{query}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var developerReport = await _developer.GetAsync($"api/v1/residency/report?{query}");

        var expected = rows.Where(r => r.Timestamp >= from && r.Timestamp < to).GroupBy(r => r.Region!)
            .ToDictionary(g => g.Key, g => (Requests: g.LongCount(), Burst: g.LongCount(r => r.Burst), Shadow: g.LongCount(r => r.Shadow)));
        var reported = report.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "report-model")
            .GetProperty("regions").EnumerateArray()
            .ToDictionary(r => r.GetProperty("region").GetString()!,
                r => (r.GetProperty("requests").GetInt64(), r.GetProperty("burstRequests").GetInt64(), r.GetProperty("shadowRequests").GetInt64()));
        Assert.Equal(expected.OrderBy(e => e.Key), reported.OrderBy(e => e.Key));
        var csvRequests = csv.Split("\r\n").Where(l => l.StartsWith("requests,", StringComparison.Ordinal) && l.Contains(",report-model,"))
            .Sum(l => long.Parse(l.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.Values.Sum(v => v.Requests), csvRequests);
        Assert.Equal(expected.Values.Sum(v => v.Requests), jsonl.Where(f => f.GetProperty("kind").GetString() == "requests"
            && f.GetProperty("endpoint").GetString() == "report-model").Sum(f => f.GetProperty("requests").GetInt64()));

        Assert.Contains(report.GetProperty("lockChanges").EnumerateArray(), c => c.GetProperty("reason").GetString() == "GDPR: EU data stays in the EU");
        Assert.Contains(report.GetProperty("refusals").EnumerateArray(), r => r.GetProperty("action").GetString() == "residency.deploy_refused"
            && r.GetProperty("resourceId").GetString() == "report-refused");
        Assert.Contains(jsonl, f => f.GetProperty("kind").GetString() == "lock_change");
        Assert.Equal(HttpStatusCode.Forbidden, developerReport.StatusCode);
        await app.StopReplicasAsync();
    }

    [Fact]
    public async Task GatewayNoCapacityAnswers_OnALockedEndpoint_AreAuditedAsOneRecordWithTheCount()
    {
        Assert.Equal(HttpStatusCode.Created, (await _developer.PostAsJsonAsync("api/v1/deployments", Spec("gateway-refused", "eu-amsterdam"))).StatusCode);
        var endpoint = await EndpointIdAsync("gateway-refused");
        var tenant = await TenantIdAsync();
        var refusals = app.Services.GetRequiredService<Portal.Residency.GatewayResidencyRefusals>();
        for (var i = 0; i < 7; i++)
        {
            refusals.Observe(new RequestSample
            {
                Timestamp = DateTimeOffset.UtcNow, TenantId = tenant, KeyId = Guid.NewGuid(), Operation = GatewayOperation.Chat,
                EndpointId = endpoint, StatusCode = 503, ErrorCode = "no_capacity", EndToEndMs = 1,
            });
        }

        await refusals.FlushAsync(CancellationToken.None);

        var audit = await _auditor.GetFromJsonAsync<JsonElement>(
            $"api/v1/audit/records?tenantId={tenant}&action={Portal.Residency.GatewayResidencyRefusals.Action}&resourceId={endpoint}");
        var record = Assert.Single(audit.GetProperty("records").EnumerateArray());
        Assert.Contains("7 request(s) answered 503", record.GetProperty("reason").GetString());
        await app.StopReplicasAsync();
    }

    private async Task<Guid> TenantIdAsync() =>
        (await _admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();

    private async Task<Guid> EndpointIdAsync(string name) =>
        (await _admin.GetFromJsonAsync<JsonElement>("api/v1/residency")).GetProperty("endpoints").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == name).GetProperty("endpointId").GetGuid();
}
