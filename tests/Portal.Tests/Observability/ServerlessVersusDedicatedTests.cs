using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// End to end: simulators registered as serverless targets, real OpenAI chat requests through the portal's /v1 with a
/// key made through the API, and the TTFT and signals routes reading what the gateway measured. A serverless-profile
/// simulator that scales to zero between bursts gives cold starts and a divergent tail, so the advice is to move to
/// dedicated; a dedicated-profile simulator under the same traffic gives neither.
/// </summary>
[Collection(MeasuresLatencyCollection.Name)]
public sealed class ServerlessVersusDedicatedTests : IAsyncLifetime
{
    // Real seconds throughout (time scale 1), with every judged quantity far from what a stall of a shared machine can
    // do. The serverless simulator answers a warm request in about 0.1 s and evicts after 1 s idle; its reload sleeps
    // 6 s, so a cold request is above the 5 s cold-start threshold by construction and its p99 is ≥ 60 × its p50. The
    // dedicated simulator answers every request in about 1.5 s: counting one as a cold start takes a 3.5 s stall, and
    // tripling its p99 takes a 3 s stall of more than one request in a hundred.
    private const int Bursts = 3;
    private const int PerBurst = 40;
    private const int Concurrency = 10;

    private readonly PortalApp _app = new PortalApp()
        .With("Gateway:ColdStartThreshold", "00:00:05")
        .With("Observability:IdleGapMinutes", "0.015");

    private SimulatorServer _serverless = default!;
    private SimulatorServer _dedicated = default!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        _serverless = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = 0, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, TimeScale = 1,
            ScaleToZero = true, IdleTimeoutSeconds = 1, ColdStartSeconds = 6, NoisyNeighborMeanIntervalSeconds = 0,
            PrefillOverheadMs = 100, InterTokenLatencyMs = 2, Seed = 11,
        });
        _dedicated = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Dedicated8BH100) with
        {
            Port = 0, ServedModelName = "own-llama-8b", WeightLoadSeconds = 0, TimeScale = 1,
            PrefillOverheadMs = 1500, TtftJitter = 0.05, InterTokenLatencyMs = 2, Seed = 12,
        });
        _app.AllowOutbound(_serverless.BaseUri).AllowOutbound(_dedicated.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _serverless.DisposeAsync();
        await _dedicated.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task ServerlessProfile_ColdStartsAndTailDivergence_MoveToDedicated_DedicatedProfile_Neither()
    {
        using var client = _app.NewClient();
        await client.SignInAsync("dev@demo.local");
        await RegisterAsync(client, "bursty-model", _serverless, "vendor-llama-8b");
        await RegisterAsync(client, "steady-own-model", _dedicated, "own-llama-8b");
        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "e2e app" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        using var openAi = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2 }) { BaseAddress = _app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        await WaitRoutableAsync(openAi, "bursty-model");
        await WaitRoutableAsync(openAi, "steady-own-model");

        // Bursts separated by idle gaps longer than the serverless idle timeout: each burst's first wave waits the reload.
        var sent = 1; // the request that found each endpoint routable
        for (var burst = 0; burst < Bursts; burst++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.6));
            await Task.WhenAll(SendAsync(openAi, "bursty-model", PerBurst), SendAsync(openAi, "steady-own-model", PerBurst));
            sent += PerBurst;
        }

        var bursty = await WaitForCountAsync(client, "bursty-model", sent);
        var steady = await WaitForCountAsync(client, "steady-own-model", sent);

        var coldStarts = bursty.GetProperty("coldStarts").EnumerateArray().ToList();
        Assert.True(coldStarts.Count >= Bursts, $"{coldStarts.Count} cold starts");
        Assert.All(coldStarts, c => Assert.True(c.GetProperty("ttftMs").GetDouble() > 5000));
        Assert.Contains(coldStarts, c => c.GetProperty("afterIdleGap").GetBoolean());
        var p50 = bursty.GetProperty("percentiles").GetProperty("p50").GetDouble();
        var p99 = bursty.GetProperty("percentiles").GetProperty("p99").GetDouble();
        Assert.True(p99 / p50 > 3, $"serverless p99 {p99} ms, p50 {p50} ms");
        Assert.Empty(steady.GetProperty("coldStarts").EnumerateArray());

        var advice = await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=bursty-model");
        var signals = ByKind(advice);
        Assert.Equal("fires", signals["tailDivergence"].GetProperty("state").GetString());
        Assert.True(signals["tailDivergence"].GetProperty("value").GetDouble() > 3);
        Assert.Equal("fires", signals["coldStarts"].GetProperty("state").GetString());
        Assert.True(advice.GetProperty("moveToDedicated").GetBoolean());
        Assert.StartsWith("Move to dedicated:", advice.GetProperty("recommendation").GetString());

        var stay = await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=steady-own-model");
        signals = ByKind(stay);
        var steadyPercentiles = steady.GetProperty("percentiles");
        Assert.True(signals["tailDivergence"].GetProperty("state").GetString() == "ok",
            $"dedicated p99 {steadyPercentiles.GetProperty("p99")} ms, p50 {steadyPercentiles.GetProperty("p50")} ms, max of {steady.GetProperty("histogram")}");
        Assert.Equal("ok", signals["coldStarts"].GetProperty("state").GetString());
        Assert.False(stay.GetProperty("moveToDedicated").GetBoolean());
    }

    private static Dictionary<string, JsonElement> ByKind(JsonElement report) =>
        report.GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("kind").GetString()!);

    private static async Task RegisterAsync(HttpClient client, string name, SimulatorServer server, string upstreamModel)
    {
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new
            {
                baseUrl = new Uri(server.BaseUri, "v1/").ToString(), upstreamModel, apiKey = "vendor-key", region = "us-east",
                inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m,
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>
    /// A body with its length known, sent with the headers: the gateway's clock starts when a request arrives, so a
    /// body streamed later by a busy test process would count as time to first token.
    /// </summary>
    private static HttpRequestMessage Chat(string model)
    {
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new
        {
            model, stream = true, max_tokens = 4,
            messages = new[] { new { role = "user", content = "How long until the first token?" } },
        }));
        body.Headers.ContentType = new("application/json");
        return new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = body };
    }

    private static Task WaitRoutableAsync(HttpClient openAi, string model) => Routable.WaitAsync(openAi, () => Chat(model), model);

    private static async Task SendAsync(HttpClient openAi, string model, int count)
    {
        var next = 0;
        // On the thread pool, like a real client: not queued behind the test framework's own few threads.
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                using var response = await openAi.SendAsync(Chat(model), HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync());
            }
        })));
    }

    /// <summary>Samples are written in the background; wait until the window holds every request sent.</summary>
    private static async Task<JsonElement> WaitForCountAsync(HttpClient client, string model, int count)
    {
        JsonElement report = default;
        for (var i = 0; i < 50; i++)
        {
            report = await client.GetFromJsonAsync<JsonElement>($"api/v1/observability/ttft?model={model}&window=1h");
            if (report.GetProperty("count").GetInt64() >= count)
            {
                return report;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{model}: {report.GetProperty("count").GetInt64()} of {count} requests measured.");
        return report;
    }
}
