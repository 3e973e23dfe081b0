using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Runtimes;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>
/// A tenant's own credentials for private weights: stored through the management API, shown once, audited without
/// values, invisible to other tenants, and the only identity a replica of a private source runs with.
/// </summary>
public sealed class WeightCredentialsApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    private static object S3Spec(string name) => new
    {
        name,
        model = new { source = "ObjectStore", objectStoreUri = "s3://acme-weights/llama-8b-ft", catalogId = "llama-3.1-8b-instruct" },
        engine = "Vllm", gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
    };

    private static object HuggingFaceSpec(string name) => new
    {
        name,
        model = new { source = "HuggingFace", repository = "demo-org/llama-8b-support-ft", catalogId = "llama-3.1-8b-instruct" },
        engine = "Vllm", gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
    };

    private async Task<(HttpClient Admin, string Demo, string Acme)> AdminAsync()
    {
        var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var tenants = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray().ToList();
        string Id(string name) => tenants.Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
        return (admin, Id("Demo Inc."), Id("Acme Research"));
    }

    [Fact]
    public async Task ObjectStoreKeys_AreShownOnce_NeverListed_Rotated_Deleted_AuditedWithoutValues_AndHiddenFromOtherTenants()
    {
        var (signedIn, demo, acme) = await AdminAsync();
        using var admin = signedIn;
        const string secret = "acme-secret-key-4f1c9e";
        const string rotatedSecret = "acme-rotated-key-77b2d0";

        // Before any keys are stored, an s3:// deployment is refused, naming what is missing.
        var refused = await admin.PostAsJsonAsync($"api/v1/deployments?tenantId={acme}", S3Spec("s3-before-keys"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("object-store keys", problem.GetProperty("errors").GetProperty("Model.ObjectStoreUri")[0].GetString());

        var created = await admin.PostAsJsonAsync($"api/v1/weight-credentials?tenantId={acme}", new
        {
            kind = "ObjectStore", accessKeyId = "AKIAACMEEXAMPLE1", secretAccessKey = secret, endpoint = "https://minio.acme.test", region = "eu-central-1",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var shown = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(secret, shown.GetProperty("secretAccessKey").GetString());
        var id = shown.GetProperty("credential").GetProperty("id").GetString()!;

        var list = await admin.GetStringAsync($"api/v1/weight-credentials?tenantId={acme}");
        Assert.Contains(id, list);
        Assert.Equal("AKIA…PLE1", JsonDocument.Parse(list).RootElement[0].GetProperty("hint").GetString());
        Assert.DoesNotContain(secret, list);

        var duplicate = await admin.PostAsJsonAsync($"api/v1/weight-credentials?tenantId={acme}",
            new { kind = "ObjectStore", accessKeyId = "AKIAOTHER", secretAccessKey = "another-secret-1" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var invalid = await admin.PostAsJsonAsync($"api/v1/weight-credentials?tenantId={demo}", new { kind = "HuggingFace", token = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("token", out _));

        // Another tenant's admin and a developer of another tenant see nothing of it: 404, never 403.
        var demoOnlyAdmin = await NewDemoAdminAsync(admin, demo);
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        foreach (var outsider in new[] { demoOnlyAdmin, developer })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"api/v1/weight-credentials?tenantId={acme}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.PutAsJsonAsync($"api/v1/weight-credentials/{id}?tenantId={acme}",
                new { kind = "ObjectStore", accessKeyId = "AKIASTOLEN", secretAccessKey = "stolen-secret-1" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.DeleteAsync($"api/v1/weight-credentials/{id}?tenantId={acme}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await demoOnlyAdmin.PutAsJsonAsync($"api/v1/weight-credentials/{id}",
            new { kind = "ObjectStore", accessKeyId = "AKIASTOLEN", secretAccessKey = "stolen-secret-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync("api/v1/weight-credentials")).StatusCode);
        demoOnlyAdmin.Dispose();

        var rotated = await admin.PutAsJsonAsync($"api/v1/weight-credentials/{id}?tenantId={acme}",
            new { kind = "ObjectStore", accessKeyId = "AKIAACMEEXAMPLE2", secretAccessKey = rotatedSecret });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var rotatedView = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(rotatedSecret, rotatedView.GetProperty("secretAccessKey").GetString());
        Assert.Equal("Ada Admin", rotatedView.GetProperty("credential").GetProperty("rotatedBy").GetString());
        var afterRotation = await admin.GetStringAsync($"api/v1/weight-credentials?tenantId={acme}");
        Assert.DoesNotContain(rotatedSecret, afterRotation);
        Assert.Equal("AKIA…PLE2", JsonDocument.Parse(afterRotation).RootElement[0].GetProperty("hint").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"api/v1/weight-credentials/{id}?tenantId={acme}")).StatusCode);
        Assert.Equal("[]", await admin.GetStringAsync($"api/v1/weight-credentials?tenantId={acme}"));

        await using var scope = app.Services.CreateAsyncScope();
        var records = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.AsNoTracking()
            .Where(r => r.Action.StartsWith("weight-credential.")).ToListAsync();
        var mine = records.Where(r => r.ResourceId == id).Select(r => r.Action).ToList();
        Assert.Equal(["weight-credential.created", "weight-credential.rotated", "weight-credential.deleted"], mine);
        Assert.Contains(records, r => r.Action == "weight-credential.list" && r.Outcome == AuditOutcome.Denied);
        foreach (var record in records)
        {
            var text = JsonSerializer.Serialize(record);
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(rotatedSecret, text);
            Assert.DoesNotContain("stolen-secret", text);
        }
    }

    [Fact]
    public async Task PrivateHuggingFaceDeployment_RunsWithItsTenantsTokenOnly()
    {
        var (signedIn, demo, acme) = await AdminAsync();
        using var admin = signedIn;
        const string demoToken = "hf_demo_tenant_token_5e2a";
        const string acmeToken = "hf_acme_tenant_token_c31b";
        try
        {
            Assert.Equal(HttpStatusCode.Created,
                (await admin.PostAsJsonAsync($"api/v1/weight-credentials?tenantId={demo}", new { kind = "HuggingFace", token = demoToken })).StatusCode);
            Assert.Equal(HttpStatusCode.Created,
                (await admin.PostAsJsonAsync($"api/v1/weight-credentials?tenantId={acme}", new { kind = "HuggingFace", token = acmeToken })).StatusCode);

            var created = await admin.PostAsJsonAsync($"api/v1/deployments?tenantId={demo}", HuggingFaceSpec("private-ft"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var deployment = await created.Content.ReadFromJsonAsync<JsonElement>();
            var id = deployment.GetProperty("id").GetString()!;
            var detail = await DeploymentLifecycleTests.WaitForAsync(admin, id, d => DeploymentLifecycleTests.AllReady(d, 1));

            var runtime = app.Services.GetRequiredService<IReplicaRuntime>();
            var replica = Assert.Single(await runtime.ListReplicasAsync(Guid.Parse(id)));
            var environment = ReadEnvironment(replica.ProcessId!.Value);
            Assert.Equal(demoToken, environment["HF_TOKEN"]);
            Assert.DoesNotContain(environment.Values, v => v.Contains(acmeToken, StringComparison.Ordinal));
            Assert.DoesNotContain(demoToken, detail.ToString());
            // The review manifest references the tenant's own Secret, not the platform's token.
            var manifest = detail.GetProperty("kubernetesManifest").GetString()!;
            Assert.Contains($"portal-weights-{Guid.Parse(demo):N}", manifest);
            Assert.DoesNotContain($"portal-weights-{Guid.Parse(acme):N}", manifest);
        }
        finally
        {
            await app.StopReplicasAsync();
        }
    }

    private async Task<HttpClient> NewDemoAdminAsync(HttpClient admin, string demo)
    {
        var email = $"admin-{Guid.NewGuid():N}@demo.local";
        var password = "Temporary-" + Guid.NewGuid().ToString("N");
        var (client, _) = await app.InviteAndJoinAsync(admin, Guid.Parse(demo), email, "TenantAdmin", password, "Demo-only admin");
        return client;
    }

    private static Dictionary<string, string> ReadEnvironment(int processId) =>
        File.ReadAllText($"/proc/{processId}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
}
