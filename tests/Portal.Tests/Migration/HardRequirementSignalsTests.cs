using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>
/// Signal 4 from its real sources, each named in the evidence: the requirements stated on the endpoint through the API,
/// the endpoint's own region lock, 429s a serverless simulator that refuses concurrency answered through the gateway, and
/// an upstream model missing from the provider's <c>/v1/models</c>.
/// </summary>
public sealed class HardRequirementSignalsTests : IAsyncLifetime
{
    private readonly PortalApp _app = new();
    private SimulatorServer _provider = default!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        // One sequence at a time and no queue: a second concurrent request is refused with 429, as a busy provider does.
        _provider = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = 0, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, TimeScale = 1, ScaleToZero = false,
            NoisyNeighborMeanIntervalSeconds = 0, PrefillOverheadMs = 300, InterTokenLatencyMs = 50, MaxNumSeqs = 1, MaxWaitingRequests = 0, Seed = 5,
        });
        _app.AllowOutbound(_provider.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task StatedRequirements_SetThroughTheApi_FireAndAreAudited()
    {
        using var client = _app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var id = await RegisterAsync(client, "stated-needs", "vendor-llama-8b");

        var set = await client.PutAsJsonAsync($"api/v1/endpoints/{id}/requirements",
            new { customWeights = true, quantization = "FP8", residency = "eu", concurrencyFloor = 64 });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var stored = (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requirements");
        Assert.Equal("fp8", stored.GetProperty("quantization").GetString());
        Assert.Equal("EU", stored.GetProperty("residency").GetString());
        var requirements = await RequirementsSignalAsync(client, "stated-needs");
        Assert.Equal("fires", requirements.GetProperty("state").GetString());
        Assert.Equal(4, requirements.GetProperty("value").GetDouble());
        var evidence = requirements.GetProperty("detail").GetString()!;
        Assert.Contains("custom or fine-tuned weights (stated on the endpoint)", evidence);
        Assert.Contains("fp8 quantization (stated on the endpoint)", evidence);
        Assert.Contains("residency in EU (stated on the endpoint)", evidence);
        Assert.Contains("at least 64 concurrent requests (stated on the endpoint)", evidence);
        Assert.Contains("vendor-llama-8b is in the provider's /v1/models list", evidence);

        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var demo = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
        var audit = await admin.GetStringAsync($"api/v1/audit/records?tenantId={demo}&action=endpoint.requirements_set");
        Assert.Contains(id.ToString(), audit);

        var refused = await client.PutAsJsonAsync($"api/v1/endpoints/{id}/requirements", new { customWeights = false, residency = "Atlantis", concurrencyFloor = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Residency", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("ConcurrencyFloor", out _), problem.ToString());
    }

    [Fact]
    public async Task TheEndpointsOwnRegionLock_Fires()
    {
        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var id = await RegisterAsync(admin, "locked-chat", "vendor-llama-8b");
        var before = await RequirementsSignalAsync(admin, "locked-chat");
        Assert.Contains("no region lock on the endpoint or the tenant", before.GetProperty("detail").GetString());

        var locked = await admin.PutAsJsonAsync($"api/v1/residency/endpoints/{id}/lock",
            new { regions = new[] { "us-east", "us-west" }, reason = "customer contract" });
        Assert.True(locked.IsSuccessStatusCode, await locked.Content.ReadAsStringAsync());

        var requirements = await RequirementsSignalAsync(admin, "locked-chat");
        Assert.Equal("fires", requirements.GetProperty("state").GetString());
        Assert.Contains("a region lock (the endpoint's region lock (us-east, us-west))", requirements.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ConcurrencyTheUpstreamRefusedWith429_ThroughTheGateway_Fires()
    {
        using var client = _app.NewClient();
        await client.SignInAsync("dev@demo.local");
        await RegisterAsync(client, "refusing-chat", "vendor-llama-8b");
        using var openAi = await InferenceClientAsync(client);
        await WaitRoutableAsync(openAi, "refusing-chat");

        // Six at once on a provider that runs one: the others come back 429 from the upstream, through the gateway.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            using var response = await openAi.SendAsync(Chat("refusing-chat"));
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        })));
        var refused = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(refused > 0, string.Join(", ", statuses));

        // Samples are written in the background.
        JsonElement requirements = default;
        for (var i = 0; i < 50; i++)
        {
            requirements = await RequirementsSignalAsync(client, "refusing-chat");
            if (requirements.GetProperty("state").GetString() == "fires")
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal("fires", requirements.GetProperty("state").GetString());
        Assert.Contains($"concurrency tuning (the upstream refused {refused} request{(refused == 1 ? "" : "s")} with 429 in the window)",
            requirements.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUpstreamModelTheProviderDoesNotList_Fires()
    {
        using var client = _app.NewClient();
        await client.SignInAsync("dev@demo.local");
        await RegisterAsync(client, "own-weights-chat", "acme/llama-8b-finetune");

        var requirements = await RequirementsSignalAsync(client, "own-weights-chat");

        Assert.Equal("fires", requirements.GetProperty("state").GetString());
        Assert.Contains("weights the provider does not serve (acme/llama-8b-finetune is not in the provider's /v1/models list)",
            requirements.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheProvidersList_IsKeptForMinutes_SoAProviderBrieflyAwayChangesNothing()
    {
        using var client = _app.NewClient();
        await client.SignInAsync("dev@demo.local");
        await RegisterAsync(client, "kept-list-chat", "vendor-llama-8b");
        var listed = "vendor-llama-8b is in the provider's /v1/models list";
        Assert.Contains(listed, (await RequirementsSignalAsync(client, "kept-list-chat")).GetProperty("detail").GetString());

        // The provider goes away; the page is read again within the minutes its list is kept: not asked, not waited on.
        await _provider.DisposeAsync();
        var again = (await RequirementsSignalAsync(client, "kept-list-chat")).GetProperty("detail").GetString();

        Assert.Contains(listed, again);
        Assert.DoesNotContain("could not be read", again);
    }

    private async Task<Guid> RegisterAsync(HttpClient client, string name, string upstreamModel)
    {
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new
            {
                baseUrl = new Uri(_provider.BaseUri, "v1/").ToString(), upstreamModel, region = "us-east",
                inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m,
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> RequirementsSignalAsync(HttpClient client, string model)
    {
        var report = await client.GetFromJsonAsync<JsonElement>($"api/v1/signals?model={model}");
        return report.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "requirements");
    }

    private async Task<HttpClient> InferenceClientAsync(HttpClient client)
    {
        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "refusals" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        var openAi = new HttpClient { BaseAddress = _app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return openAi;
    }

    private static HttpRequestMessage Chat(string model) => new(HttpMethod.Post, "v1/chat/completions")
    {
        Content = JsonContent.Create(new { model, stream = true, max_tokens = 8, messages = new[] { new { role = "user", content = "Hello" } } }),
    };

    private static Task WaitRoutableAsync(HttpClient openAi, string model) => Routable.WaitAsync(openAi, () => Chat(model), model);
}
