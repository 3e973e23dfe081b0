using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Catalog;
using Portal.Core.Sizing;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>
/// "Start migration" through the management API: a serverless endpoint on a simulator gets a plan with the smallest
/// configuration that fits its model, and deploying that plan with shadowFor makes it the endpoint's shadow target.
/// </summary>
public sealed class StartMigrationTests(PortalApp app) : IClassFixture<PortalApp>
{
    private const string Upstream = "meta-llama/Llama-3.1-8B-Instruct";

    private async Task<(HttpClient Client, string EndpointId, SimulatorServer Serverless)> ServerlessEndpointAsync(string name)
    {
        var serverless = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = 0, ServedModelName = Upstream, WeightLoadSeconds = 0, TimeScale = 0.01,
        });
        app.AllowOutbound(serverless.BaseUri);
        var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new { baseUrl = new Uri(serverless.BaseUri, "v1/").ToString(), upstreamModel = Upstream, region = "us-east",
                inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (client, id, serverless);
    }

    [Fact]
    public async Task StartMigration_DeploysTheSmallestConfiguration_AndShadowsTheChosenShare()
    {
        var (client, endpointId, serverless) = await ServerlessEndpointAsync("chat-8b");
        await using var _ = serverless;
        var model = ModelCatalog.Default.GetModel("llama-3.1-8b-instruct");
        var smallest = ConfigurationSearch.FindSmallest(model.DisplayName, model.Architecture,
            ModelCatalog.Default.DefaultRuntime(model.Architecture), ModelCatalog.Default)!;

        var planned = await client.PostAsync($"api/v1/endpoints/{endpointId}/migration", null);
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        var plan = await planned.Content.ReadFromJsonAsync<JsonElement>();
        var spec = plan.GetProperty("spec");
        Assert.Equal("llama-3.1-8b-instruct", spec.GetProperty("model").GetProperty("catalogId").GetString());
        Assert.Equal(smallest.Gpu.Id, spec.GetProperty("gpuType").GetString());
        Assert.Equal(smallest.GpusPerReplica, spec.GetProperty("gpusPerReplica").GetInt32());
        Assert.Equal("us-east", spec.GetProperty("region").GetString()); // the serverless target's region offers it
        Assert.Equal(0.10, plan.GetProperty("shadowShare").GetDouble());

        var deployed = await client.PostAsJsonAsync($"api/v1/deployments?shadowFor={endpointId}&shadowShare=0.15", spec);
        Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        var deploymentId = (await deployed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var endpoint = await client.GetFromJsonAsync<JsonElement>($"api/v1/endpoints/{endpointId}");
        Assert.Equal("Serverless", endpoint.GetProperty("primary").GetProperty("kind").GetString());
        Assert.Equal(deploymentId, endpoint.GetProperty("secondary").GetProperty("deploymentId").GetString());
        Assert.Equal(0.15, endpoint.GetProperty("shadowShare").GetDouble());

        var again = await client.PostAsync($"api/v1/endpoints/{endpointId}/migration", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var next = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("spec").GetProperty("name").GetString();
        Assert.NotEqual(spec.GetProperty("name").GetString(), next); // the first name is taken now
        client.Dispose();
    }

    [Fact]
    public async Task StartMigration_ShareOutsideTenToTwentyPercent_IsRefusedBeforeDeploying()
    {
        var (client, endpointId, serverless) = await ServerlessEndpointAsync("chat-8b-share");
        await using var _ = serverless;
        var spec = (await (await client.PostAsync($"api/v1/endpoints/{endpointId}/migration", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("spec");

        var refused = await client.PostAsJsonAsync($"api/v1/deployments?shadowFor={endpointId}&shadowShare=0.3", spec);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("shadowShare", await refused.Content.ReadAsStringAsync());
        var deployments = await client.GetFromJsonAsync<JsonElement>("api/v1/deployments");
        Assert.DoesNotContain(deployments.EnumerateArray(), d => d.GetProperty("name").GetString() == spec.GetProperty("name").GetString());
        client.Dispose();
    }

    [Fact]
    public async Task StartMigration_ForAnAuditor_IsForbidden()
    {
        var (client, endpointId, serverless) = await ServerlessEndpointAsync("chat-8b-audited");
        await using var _ = serverless;
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");

        var refused = await auditor.PostAsync($"api/v1/endpoints/{endpointId}/migration", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task BreakEven_AnswersTheCrossingAtTheConfiguredGpuPrice_AndRefusesABadUtilisation()
    {
        using var client = app.NewClient();
        await client.SignInAsync("auditor@demo.local"); // reading the calculator is open to every role of the tenant

        var answer = await client.GetFromJsonAsync<JsonElement>(
            "api/v1/break-even?inputPricePerMillion=0.5&outputPricePerMillion=1.5&inputTokensPerRequest=1000&outputTokensPerRequest=200"
            + "&gpuType=h100-80gb&gpusPerReplica=1&replicas=1&utilisation=0.5&capacityTokensPerSecond=1200&observedMonthlyRequests=1000000");
        var bad = await client.GetAsync("api/v1/break-even?inputPricePerMillion=0.5&outputPricePerMillion=1.5&gpuType=h100-80gb&utilisation=2");

        Assert.Equal(2.49m, answer.GetProperty("pricePerGpuHour").GetDecimal()); // Pricing:Gpus in appsettings.json
        Assert.Equal(2.49m * 730, answer.GetProperty("dedicatedMonthlyUsd").GetDecimal());
        Assert.Equal(2.49m * 730 / 0.0008m, answer.GetProperty("crossingMonthlyRequests").GetDecimal());
        Assert.Equal(1_314_000m, answer.GetProperty("capacityMonthlyRequests").GetDecimal());
        Assert.False(answer.GetProperty("dedicatedCheaperAtObserved").GetBoolean());
        Assert.Equal(11, answer.GetProperty("chart").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("utilisation", await bad.Content.ReadAsStringAsync());
    }
}
