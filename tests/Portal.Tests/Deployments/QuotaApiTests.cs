using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>
/// Quotas on a real portal: every quota refuses past its limit through the management API with the quota, its limit and
/// the current use; a deployment exactly at the limits is accepted; only a platform operator changes a tenant's quotas.
/// </summary>
public sealed class QuotaApiTests(PortalApp app) : IClassFixture<PortalApp>, IAsyncLifetime
{
    private static object Spec(string name, int baseline, int max) => new
    {
        name, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm", gpuType = "h100-80gb",
        gpusPerReplica = 1, baselineReplicas = baseline, maxReplicas = max, region = "us-east",
    };

    private HttpClient _admin = default!;
    private HttpClient _developer = default!;
    private HttpClient _auditor = default!;
    private HttpClient _support = default!;
    private HttpClient _operator = default!;

    public async Task InitializeAsync()
    {
        (_admin, _developer, _auditor, _support, _operator) = (app.NewClient(), app.NewClient(), app.NewClient(), app.NewClient(), app.NewClient());
        await _admin.SignInAsync("admin@demo.local");
        await _developer.SignInAsync("dev@demo.local");
        await _auditor.SignInAsync("auditor@demo.local");
        await _support.SignInAsync("support@portal.local");
        await _operator.SignInAsync("operator@portal.local");
    }

    public async Task DisposeAsync()
    {
        await app.StopReplicasAsync();
        foreach (var client in new[] { _admin, _developer, _auditor, _support, _operator })
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task HundredThousandReplicas_IsRefusedByTheDefaultQuota_NamingItAndTheRequest()
    {
        var check = await (await _developer.PostAsJsonAsync("api/v1/deployments/check", Spec("huge", 100000, 100000))).Content.ReadFromJsonAsync<JsonElement>();
        var deploy = await _developer.PostAsJsonAsync("api/v1/deployments", Spec("huge", 100000, 100000));

        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.Contains("quota 'replicas per deployment' is 16; requested 100000 baseline replicas.",
            Messages(check.GetProperty("errors"), "BaselineReplicas"));
        Assert.Equal(HttpStatusCode.BadRequest, deploy.StatusCode);
        var problem = await deploy.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("quota 'replicas per deployment' is 16; requested 100000 baseline replicas.", Messages(problem.GetProperty("errors"), "BaselineReplicas"));
        Assert.Contains(Messages(problem.GetProperty("errors"), "MaxReplicas"), m => m.StartsWith("quota 'GPUs in use' is 64; 0 in use", StringComparison.Ordinal));
        var deployments = await _developer.GetFromJsonAsync<JsonElement>("api/v1/deployments");
        Assert.DoesNotContain(deployments.EnumerateArray(), d => d.GetProperty("name").GetString() == "huge");
    }

    [Fact]
    public async Task EveryQuota_RefusesPastItsLimit_AndADeploymentExactlyAtTheLimitsIsAccepted()
    {
        var acme = await TenantIdAsync("Acme Research");
        var set = await _operator.PutAsJsonAsync($"api/v1/platform/tenants/{acme}/quotas", new
        {
            gpusInUse = 2, replicasPerDeployment = 2, deployments = 1, endpoints = 1, apiKeys = 0, webhooks = 0, pipelines = 0,
        });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        // 2 replicas × 1 GPU: exactly the GPU and replica quotas, the one deployment and the one endpoint allowed.
        var atEdge = await _admin.PostAsJsonAsync($"api/v1/deployments?tenantId={acme}", Spec("edge", 2, 2));
        Assert.Equal(HttpStatusCode.Created, atEdge.StatusCode);
        var edgeId = (await atEdge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var second = await Problem(await _admin.PostAsJsonAsync($"api/v1/deployments?tenantId={acme}", Spec("second", 1, 1)));
        var scaled = await Problem(await _admin.PostAsJsonAsync($"api/v1/deployments/{edgeId}/scale?tenantId={acme}", new { baselineReplicas = 3 }));
        var key = await Problem(await _admin.PostAsJsonAsync($"api/v1/keys?tenantId={acme}", new { name = "app" }));
        var webhook = await Problem(await _admin.PostAsJsonAsync($"api/v1/webhooks?tenantId={acme}", new { url = "https://hooks.example.com/portal" }));
        var pipeline = await Problem(await _admin.PostAsJsonAsync($"api/v1/pipelines?tenantId={acme}",
            new { name = "rag", stages = new[] { new { name = "answer", endpointId = Guid.NewGuid(), onCriticalPath = true } } }));
        var serverless = await Problem(await _admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={acme}", new
        {
            name = "external", target = new { baseUrl = "https://api.example.com/v1", upstreamModel = "m", inputPricePerMillion = 1, outputPricePerMillion = 1 },
        }));

        Assert.Contains("quota 'deployments' is 1; 1 in use, so one more would exceed it.", Messages(second, "Name"));
        Assert.Contains("quota 'endpoints' is 1; 1 in use, so one more would exceed it.", Messages(second, "Name"));
        Assert.Contains("quota 'GPUs in use' is 2; 2 in use by other deployments, this one claims 1 (1 replicas at most, burst included, × 1 GPUs).",
            Messages(second, "MaxReplicas"));
        Assert.Contains("quota 'replicas per deployment' is 2; requested 3 baseline replicas.", Messages(scaled, "BaselineReplicas"));
        Assert.Contains("quota 'API keys' is 0; 0 in use, so one more would exceed it.", Messages(key, "Name"));
        Assert.Contains("quota 'webhooks' is 0; 0 in use, so one more would exceed it.", Messages(webhook, "url"));
        Assert.Contains("quota 'pipelines' is 0; 0 in use, so one more would exceed it.", Messages(pipeline, "Name"));
        Assert.Contains("quota 'endpoints' is 1; 1 in use, so one more would exceed it.", Messages(serverless, "Name"));

        var quotas = await _admin.GetFromJsonAsync<JsonElement>($"api/v1/quotas?tenantId={acme}");
        var rows = quotas.GetProperty("quotas").EnumerateArray().ToDictionary(q => q.GetProperty("quota").GetString()!);
        Assert.Equal((2, 2, 64), (rows["gpusInUse"].GetProperty("limit").GetInt32(), rows["gpusInUse"].GetProperty("inUse").GetInt32(),
            rows["gpusInUse"].GetProperty("default").GetInt32()));
        Assert.Equal((1, 1), (rows["deployments"].GetProperty("limit").GetInt32(), rows["deployments"].GetProperty("inUse").GetInt32()));
        Assert.Equal(0, rows["apiKeys"].GetProperty("override").GetInt32());

        var refusals = await _admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={acme}&action=key.create");
        var refusal = Assert.Single(refusals.GetProperty("records").EnumerateArray());
        Assert.Equal("Denied", refusal.GetProperty("outcome").GetString());
        Assert.StartsWith("quota 'API keys' is 0", refusal.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task OnlyAnOperatorChangesQuotas_TheTenantAdminsAttemptIsRefusedAndAudited()
    {
        var demo = await TenantIdAsync("Demo Inc.");
        var path = $"api/v1/platform/tenants/{demo}/quotas";

        var byAdmin = await _admin.PutAsJsonAsync(path, new { gpusInUse = 100000 });
        var bySupport = await _support.PutAsJsonAsync(path, new { gpusInUse = 100000 });
        var supportReads = await _support.GetAsync(path);
        var developerReads = await _developer.GetAsync($"api/v1/quotas?tenantId={demo}");
        var invalid = await Problem(await _operator.PutAsJsonAsync(path, new { apiKeys = -1 }));
        var byOperator = await _operator.PutAsJsonAsync(path, new { apiKeys = 500 });

        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bySupport.StatusCode);
        Assert.Equal(HttpStatusCode.OK, supportReads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, developerReads.StatusCode);
        Assert.Contains("The API keys quota must be between 0 and 1000000 (or null for the platform default); got -1.", Messages(invalid, "apiKeys"));
        Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);
        var after = await _admin.GetFromJsonAsync<JsonElement>($"api/v1/quotas?tenantId={demo}");
        var rows = after.GetProperty("quotas").EnumerateArray().ToDictionary(q => q.GetProperty("quota").GetString()!);
        Assert.Equal(500, rows["apiKeys"].GetProperty("limit").GetInt32());
        Assert.Equal(64, rows["gpusInUse"].GetProperty("limit").GetInt32());

        var denied = await _auditor.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&action=quota.update");
        var records = denied.GetProperty("records").EnumerateArray().ToList();
        Assert.Contains(records, r => r.GetProperty("actorName").GetString() == "Ada Admin" && r.GetProperty("outcome").GetString() == "Denied");
        Assert.Contains(records, r => r.GetProperty("actorName").GetString() == "Sam Support" && r.GetProperty("outcome").GetString() == "Denied");
        var updated = Assert.Single((await _auditor.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&action=quota.updated"))
            .GetProperty("records").EnumerateArray());
        Assert.Equal(("Otto Operator", "Success"), (updated.GetProperty("actorName").GetString(), updated.GetProperty("outcome").GetString()));
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    private static List<string> Messages(JsonElement errors, string field) =>
        errors.TryGetProperty(field, out var messages) ? messages.EnumerateArray().Select(m => m.GetString()!).ToList() : [];

    private async Task<Guid> TenantIdAsync(string name) =>
        (await _admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
}
