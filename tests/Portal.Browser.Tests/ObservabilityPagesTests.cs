using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

/// <summary>
/// The TTFT and migration pages drawn from what the gateway measured: a serverless simulator registered through the
/// API, a key made through the API, and real chat requests to the portal's /v1 before the pages are opened.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ObservabilityPagesTests(BrowserFixture fixture)
{
    private const string Model = "charted-model";
    private const int Requests = 120;

    [Fact]
    public async Task TtftAndMigrationPages_DrawChartsFromRequestsThroughTheGateway()
    {
        await using var simulator = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = 0, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, NoisyNeighborMeanIntervalSeconds = 0,
            InterTokenLatencyMs = 2, Seed = 5,
        });
        fixture.App.AllowOutbound(simulator.BaseUri);
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        await new ShellPage(page).WaitUntilInteractiveAsync();

        // The signed-in browser session calls the management API, as the page's own scripts would.
        var created = await page.APIRequest.PostAsync("api/v1/endpoints/serverless", new()
        {
            DataObject = new
            {
                name = Model,
                target = new { baseUrl = new Uri(simulator.BaseUri, "v1/").ToString(), upstreamModel = "vendor-llama-8b", apiKey = "vendor-key",
                    region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
            },
        });
        Assert.Equal(201, created.Status);
        var key = await page.APIRequest.PostAsync("api/v1/keys", new() { DataObject = new { name = "charts app" } });
        var secret = (await key.JsonAsync())!.Value.GetProperty("secret").GetString()!;

        await SendAsync(secret);

        var ttft = new TtftPage(page);
        await ttft.OpenAsync(Model);
        await Assertions.Expect(ttft.Percentiles).ToContainTextAsync("p99");
        await Assertions.Expect(ttft.Tiers).ToContainTextAsync("serverless");
        var drawn = 0;
        foreach (var bar in await ttft.HistogramBars.AllAsync())
        {
            drawn += double.Parse(await bar.GetAttributeAsync("height") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0 ? 1 : 0;
        }

        Assert.True(drawn > 0, "the histogram draws the buckets that hold requests");
        Assert.Equal(2, await ttft.SeriesLines.CountAsync());
        Assert.False(string.IsNullOrWhiteSpace(await ttft.SeriesLines.First.GetAttributeAsync("points")));
        Assert.True(await ttft.SeriesDots.CountAsync() >= 2, "p50 and p99 of the busy minute are marked");
        Assert.True(await ttft.Heatmap.Locator("rect").CountAsync() > 0);
        await BrowserFixture.ScreenshotAsync(page, "ttft");

        var migration = new MigrationPage(page);
        await migration.OpenAsync(Model);
        await Assertions.Expect(migration.Recommendation).ToBeVisibleAsync();
        await Assertions.Expect(migration.Signal("tailDivergence")).ToBeVisibleAsync();
        await Assertions.Expect(migration.Signal("tailDivergence")).Not.ToContainTextAsync("not enough data");
        await Assertions.Expect(migration.Signal("tailDivergence")).ToContainTextAsync("×");
        await Assertions.Expect(migration.Signal("coldStarts")).ToContainTextAsync("requests");
        await BrowserFixture.ScreenshotAsync(page, "migration");
        await page.Context.CloseAsync();
    }

    /// <summary>Streaming chat requests through /v1, ten at a time, after the routing snapshot has the endpoint.</summary>
    private async Task SendAsync(string secret)
    {
        using var openAi = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        HttpRequestMessage Chat() => new(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = Model, stream = true, max_tokens = 4, messages = new[] { new { role = "user", content = "Chart me" } } }),
        };

        var routable = false;
        for (var i = 0; i < 50 && !routable; i++)
        {
            using var probe = await openAi.SendAsync(Chat());
            routable = probe.StatusCode == HttpStatusCode.OK;
            await probe.Content.ReadAsStringAsync();
            if (!routable)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(routable, $"{Model} never became routable");
        var next = 1;
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= Requests)
            {
                using var response = await openAi.SendAsync(Chat());
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await response.Content.ReadAsStringAsync();
            }
        }));

        // Samples are written in the background: wait until the TTFT route counts every request.
        using var api = fixture.App.NewClient();
        await api.SignInAsync("dev@demo.local");
        for (var i = 0; i < 50; i++)
        {
            var report = await api.GetFromJsonAsync<JsonElement>($"api/v1/observability/ttft?model={Model}&window=1h");
            if (report.GetProperty("count").GetInt64() >= Requests)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("not every request was measured");
    }
}
