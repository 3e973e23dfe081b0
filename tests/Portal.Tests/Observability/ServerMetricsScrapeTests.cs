using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Observability;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// The scrape job against a real simulator's /metrics: the first scrape sets the baseline, the next one records exactly
/// the requests sent between them, and the TTFT page shows the engine's p50/p99 beside the gateway's.
/// </summary>
public sealed class ServerMetricsScrapeTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task ScrapesTheSimulatorsTtftHistogram_AsADeltaBetweenScrapes_AndThePageShowsIt()
    {
        await using var simulator = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = 0, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, NoisyNeighborMeanIntervalSeconds = 0,
            PrefillOverheadMs = 50, InterTokenLatencyMs = 1, Seed = 3,
        });
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name = "scraped-model",
            target = new { baseUrl = new Uri(simulator.BaseUri, "v1/").ToString(), upstreamModel = "vendor-llama-8b", region = "us-east",
                inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var targetId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("primary").GetProperty("id").GetGuid();
        var secret = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "scrape app" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        using var openAi = new HttpClient { BaseAddress = app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", secret);

        var before = await SendUntilRoutableAsync(openAi);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<ServerMetricsScrapeJob>();
            Assert.Contains(await job.SourcesAsync(CancellationToken.None),
                s => s.TargetId == targetId && s.MetricsUri == new Uri(simulator.BaseUri, "metrics"));
            Assert.True(await job.RunAsync(CancellationToken.None) >= 1);
        }

        var history = app.Services.GetRequiredService<ServerTtftHistory>();
        Assert.Null(history.Summary(targetId, DateTimeOffset.MinValue).LastScrape); // a first scrape is only the baseline
        for (var i = 0; i < 12; i++)
        {
            using var response = await openAi.SendAsync(Chat());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsStringAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ServerMetricsScrapeJob>().RunAsync(CancellationToken.None);
        }

        var summary = history.Summary(targetId, DateTimeOffset.MinValue);
        Assert.Equal(12, summary.Count);
        // The engine's TTFT is the simulated prefill (about 50 ms), never the gateway's connection or queueing time.
        Assert.InRange(summary.P50!.Value, 20, 1000);
        Assert.True(summary.P99 >= summary.P50);
        Assert.True(before >= 1);

        var page = await client.GetStringAsync("observability?model=scraped-model&window=1h");
        Assert.Contains("data-testid=\"server-ttft-table\"", page);
        Assert.Contains("Engine p50", page);
        Assert.DoesNotContain("No engine metrics scraped yet", page);
    }

    private static HttpRequestMessage Chat() => new(HttpMethod.Post, "v1/chat/completions")
    {
        Content = JsonContent.Create(new { model = "scraped-model", stream = true, max_tokens = 4, messages = new[] { new { role = "user", content = "Scrape me" } } }),
    };

    private static async Task<int> SendUntilRoutableAsync(HttpClient openAi)
    {
        for (var i = 0; i < 50; i++)
        {
            using var response = await openAi.SendAsync(Chat());
            await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return 1;
            }

            await Task.Delay(200);
        }

        return 0;
    }
}
