using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>Bad input gets a clear refusal naming the field, through the same validator as the wizard.</summary>
public sealed class DeploymentRefusalTests(PortalApp app) : IClassFixture<PortalApp>
{
    public static TheoryData<string, object, string, string> Refusals => new()
    {
        { "405B on one H100", Spec(model: "llama-3.1-405b-instruct"), "GpusPerReplica", "GiB" },
        { "tensor parallel 3", Spec(gpus: 3), "GpusPerReplica", "1, 2, 4 or 8" },
        { "GPU not offered in the region", Spec(gpu: "b200-192gb", region: "us-south"), "GpuType", "does not offer" },
        { "zero replicas", Spec(baseline: 0), "BaselineReplicas", "" },
        { "maximum below baseline", Spec(baseline: 3, max: 2), "MaxReplicas", "" },
        { "unknown model", Spec(model: "no-such-model"), "Model.CatalogId", "" },
        { "malformed Hugging Face repo", new
            {
                name = "hf-bad", model = new { source = "HuggingFace", repository = "not a repo!", catalogId = "llama-3.1-8b-instruct" },
                gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
            }, "Model.Repository", "" },
    };

    private static object Spec(string model = "llama-3.1-8b-instruct", string gpu = "h100-80gb", int gpus = 1, int baseline = 1, int max = 2,
        string region = "us-east", string name = "refused") => new
    {
        name, model = new { source = "Catalog", catalogId = model }, engine = "Vllm", gpuType = gpu, gpusPerReplica = gpus,
        baselineReplicas = baseline, maxReplicas = max, region,
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadSpec_IsRefused_WithTheFieldAndTheReason(string why, object spec, string field, string mentions)
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");

        var response = await client.PostAsJsonAsync("api/v1/deployments", spec);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{why}: {problem}");
        Assert.Contains(mentions, string.Join(" ", messages.EnumerateArray().Select(m => m.GetString())));
    }

    [Fact]
    public async Task NameAlreadyInUse_IsRefused()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var check = await client.PostAsJsonAsync("api/v1/deployments/check", Spec(name: "taken-name"));
        Assert.True((await check.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("api/v1/deployments", Spec(name: "taken-name"))).StatusCode);

        var second = await client.PostAsJsonAsync("api/v1/deployments", Spec(name: "taken-name"));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Name", out _));
        await app.StopReplicasAsync();
    }

    [Fact]
    public async Task AnotherTenantsDeployment_Is404_NeverItsData()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var acme = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetString();
        var created = await admin.PostAsJsonAsync($"api/v1/deployments?tenantId={acme}", Spec(name: "acme-secret-model"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");

        var direct = await developer.GetAsync($"api/v1/deployments/{id}");
        var named = await developer.GetAsync($"api/v1/deployments/{id}?tenantId={acme}");
        var stop = await developer.PostAsync($"api/v1/deployments/{id}/stop", null);
        var list = await developer.GetStringAsync("api/v1/deployments");

        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, named.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stop.StatusCode);
        Assert.DoesNotContain("acme-secret-model", list + await direct.Content.ReadAsStringAsync());
        await app.StopReplicasAsync();
    }

    [Fact]
    public async Task CheckingASpec_InAnotherTenant_Is404_AndTellsNothingAboutIt()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var acme = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetString();
        var endpoint = await admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={acme}", new
        {
            name = "acme-hidden-endpoint",
            target = new { baseUrl = "https://api.example.com/v1/", upstreamModel = "some-model", inputPricePerMillion = 1, outputPricePerMillion = 1 },
        });
        Assert.Equal(HttpStatusCode.Created, endpoint.StatusCode);
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");

        var check = await developer.PostAsJsonAsync($"api/v1/deployments/check?tenantId={acme}", Spec(name: "acme-hidden-endpoint"));

        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
        Assert.DoesNotContain("acme-hidden-endpoint", await check.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Auditor_CannotDeploy()
    {
        using var client = app.NewClient();
        await client.SignInAsync("auditor@demo.local");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("api/v1/deployments", Spec(name: "auditor-try"))).StatusCode);
    }
}
