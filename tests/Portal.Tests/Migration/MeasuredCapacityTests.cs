using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Observability;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>
/// A replica's capacity measured from its engine: a real simulator replica that decodes one sequence at a time, kept
/// busy through the gateway so requests wait in its queue, scraped twice by the metrics job. The signals then use the
/// measured generation rate, computed here from the stored readings, instead of the catalog's figure.
/// </summary>
public sealed class MeasuredCapacityTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task CapacityAtLoad_IsMeasuredFromTheSaturatedScrapeIntervals()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "saturated-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            runtime = new { maxConcurrentSequences = 1 },
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var detail = await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));
        var metrics = new Uri(new Uri(detail.GetProperty("replicas")[0].GetProperty("baseUrl").GetString()!), "/metrics");

        var before = await SignalsAsync(client);
        Assert.StartsWith("catalog:", before.GetProperty("capacity").GetProperty("source").GetString());

        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "load" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        using var openAi = new HttpClient { BaseAddress = app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        using var stop = new CancellationTokenSource();
        // Twelve answers at once on a replica that decodes one: the rest wait in its queue for many seconds.
        var load = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            try
            {
                using var response = await openAi.PostAsJsonAsync("v1/chat/completions",
                    new { model = "saturated-chat", max_tokens = 150, messages = new[] { new { role = "user", content = "Talk for a while." } } }, stop.Token);
                await response.Content.ReadAsStringAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();

        using var direct = new HttpClient();
        await WaitForAsync(direct, metrics, m => m.Waiting >= 2);
        await ScrapeAsync(app);
        var first = await ReadAsync(direct, metrics);
        await WaitForAsync(direct, metrics, m => m.Tokens > first.Tokens && m.Waiting >= 1);
        await ScrapeAsync(app);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        // The measurement by hand: generated tokens ÷ seconds over the intervals with requests waiting at both ends.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var targetId = await db.Targets.Where(t => t.DeploymentId == Guid.Parse(id)).Select(t => t.Id).SingleAsync();
        var readings = (await db.EngineReadings.Where(r => r.TargetId == targetId).ToListAsync()).OrderBy(r => r.At).ToList();
        double tokens = 0, seconds = 0;
        foreach (var (previous, next) in readings.Zip(readings.Skip(1)))
        {
            if (previous.Waiting > 0 && next.Waiting > 0 && next.GenerationTokens >= previous.GenerationTokens)
            {
                tokens += next.GenerationTokens - previous.GenerationTokens;
                seconds += (next.At - previous.At).TotalSeconds;
            }
        }

        Assert.True(tokens > 0 && seconds > 0, string.Join("; ", readings.Select(r => $"{r.At:O} {r.GenerationTokens} {r.Waiting}")));
        var report = await SignalsAsync(client);
        var capacity = report.GetProperty("capacity");
        Assert.Equal("measured at load from the engines' metrics", capacity.GetProperty("source").GetString());
        Assert.Equal(tokens / seconds, capacity.GetProperty("tokensPerSecond").GetDouble(), 6);

        await client.PostAsync($"api/v1/deployments/{id}/stop", null);
    }

    private static async Task<JsonElement> SignalsAsync(HttpClient client) =>
        await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=saturated-chat");

    private static async Task<(double Tokens, double Waiting)> ReadAsync(HttpClient direct, Uri metrics)
    {
        var text = await direct.GetStringAsync(metrics);
        return (Sum(text, "vllm:generation_tokens_total"), Sum(text, "vllm:num_requests_waiting"));
    }

    private static double Sum(string text, string family) => text.Split('\n')
        .Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) || l.StartsWith(family + " ", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static async Task WaitForAsync(HttpClient direct, Uri metrics, Func<(double Tokens, double Waiting), bool> condition)
    {
        var last = (0.0, 0.0);
        for (var i = 0; i < 150; i++)
        {
            last = await ReadAsync(direct, metrics);
            if (condition(last))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The replica's metrics never showed the load: {last}.");
    }

    /// <summary>One completed run; while the recurring job holds the lock, waits for it.</summary>
    private static async Task ScrapeAsync(PortalApp portal)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<ServerMetricsScrapeJob>().RunAsync(CancellationToken.None) is not null)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The scrape job never ran.");
    }
}
