using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Runtimes;
using Portal.Tests.Support;

namespace Portal.Tests.Platform;

/// <summary>
/// Suspending a tenant refuses its members' API calls and its inference keys at /v1 (the gateway says why) while the same
/// members keep working in their other tenants; resuming restores both; deleting stops its replicas through the
/// reconciler, revokes its keys and keeps its audit records.
/// </summary>
public sealed class TenantSuspensionTests(PortalApp app) : IClassFixture<PortalApp>
{
    private static async Task<HttpResponseMessage> ModelsAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> WaitForDeploymentAsync(HttpClient client, string path, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        JsonElement detail = default;
        while (DateTime.UtcNow < deadline)
        {
            detail = await client.GetFromJsonAsync<JsonElement>(path);
            if (condition(detail))
            {
                return detail;
            }

            await Task.Delay(300);
        }

        Assert.Fail($"The deployment did not reach the expected state: {detail}");
        return detail;
    }

    [Fact]
    public async Task SuspendedTenant_RefusesItsMembersAndKeys_ResumeRestoresThem_DeleteStopsReplicasAndRevokesKeys()
    {
        using var admin = app.NewClient();
        using var operatorClient = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        await operatorClient.SignInAsync("operator@portal.local");
        var acme = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetGuid();

        var created = await admin.PostAsJsonAsync($"api/v1/deployments?tenantId={acme}", new
        {
            name = "acme-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var deploymentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var key = (await (await admin.PostAsJsonAsync($"api/v1/keys?tenantId={acme}", new { name = "acme app" })).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        await WaitForDeploymentAsync(admin, $"api/v1/deployments/{deploymentId}?tenantId={acme}",
            d => d.GetProperty("replicas").EnumerateArray().Any(r => r.GetProperty("phase").GetString() == "Ready"));
        using var program = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await ModelsAsync(program, key)).StatusCode);

        var suspend = await operatorClient.PostAsJsonAsync($"api/v1/platform/tenants/{acme}/suspend", new { reason = "Ticket #7: unpaid invoice" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);

        var refusedAtV1 = await ModelsAsync(program, key);
        Assert.Equal(HttpStatusCode.Forbidden, refusedAtV1.StatusCode);
        var error = (await refusedAtV1.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("tenant_suspended", error.GetProperty("code").GetString());
        Assert.Contains("suspended", error.GetProperty("message").GetString());
        var refusedApi = await admin.GetAsync($"api/v1/deployments?tenantId={acme}");
        Assert.Equal(HttpStatusCode.Forbidden, refusedApi.StatusCode);
        Assert.Contains("'Acme Research' is suspended", (await refusedApi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        // The same person still works in their other tenant, which no longer lists the suspended one.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/v1/deployments")).StatusCode);
        var tenants = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["Demo Inc."], tenants);
        var view = await operatorClient.GetFromJsonAsync<JsonElement>($"api/v1/platform/tenants/{acme}");
        Assert.Equal("Suspended", view.GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"api/v1/platform/tenants/{acme}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ModelsAsync(program, key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"api/v1/deployments?tenantId={acme}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"api/v1/platform/tenants/{acme}/suspend", null)).StatusCode);
        var deleted = await operatorClient.DeleteAsync($"api/v1/platform/tenants/{acme}?reason=Contract%20ended");
        var summary = await deleted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, summary.ToString());
        Assert.Equal(1, summary.GetProperty("deploymentsDeleted").GetInt32());
        Assert.True(summary.GetProperty("keysRevoked").GetInt32() >= 1);

        var revoked = await ModelsAsync(program, key);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal("This API key has been revoked.", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString());

        // The reconciler stops the replica processes of the deleted deployment.
        var runtime = app.Services.GetRequiredService<IReplicaRuntime>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await runtime.ListReplicasAsync(deploymentId)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
        }

        Assert.Empty(await runtime.ListReplicasAsync(deploymentId));

        // The tenant's own trail stays, and records its offboarding.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var actions = await db.AuditRecords.Where(r => r.TenantId == acme).Select(r => r.Action).ToListAsync();
        Assert.Contains("key.created", actions);
        Assert.Contains("tenant.suspended", actions);
        Assert.Contains("tenant.deleted", actions);
    }
}
