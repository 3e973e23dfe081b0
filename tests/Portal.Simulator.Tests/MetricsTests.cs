using System.Text.Json;
using Portal.Simulator.Metrics;

namespace Portal.Simulator.Tests;

public sealed class MetricsTests
{
    // Copied from vLLM (vllm/v1/metrics/buckets.py) so a change to the shared class is caught here.
    private static readonly double[] _vllmTtft =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    private static readonly double[] _vllmItl =
        [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];

    private static readonly double[] _vllmRequestLatency =
        [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    [Fact]
    public async Task Metrics_ParseAsPrometheusTextWithVllmNamesLabelsAndBucketEdges()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);
        using var client = Simulator.Client(server);

        using var response = await client.GetAsync("metrics");
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_vllmTtft, metrics.BucketEdges("vllm:time_to_first_token_seconds"));
        Assert.Equal(_vllmItl, metrics.BucketEdges("vllm:inter_token_latency_seconds"));
        Assert.Equal(_vllmRequestLatency, metrics.BucketEdges("vllm:e2e_request_latency_seconds"));
        Assert.Equal(_vllmTtft, VllmHistogramBuckets.TimeToFirstTokenSeconds);
        foreach (var (name, type) in new[]
        {
            ("vllm:num_requests_running", "gauge"), ("vllm:num_requests_waiting", "gauge"),
            ("vllm:kv_cache_usage_perc", "gauge"), ("vllm:prompt_tokens", "counter"),
            ("vllm:generation_tokens", "counter"), ("vllm:request_success", "counter"),
            ("vllm:time_to_first_token_seconds", "histogram"), ("vllm:inter_token_latency_seconds", "histogram"),
            ("vllm:e2e_request_latency_seconds", "histogram"),
        })
        {
            Assert.Equal(type, metrics.Families[name].Type);
            Assert.All(metrics.Families[name].Samples, s => Assert.Equal(Simulator.Model, s.Labels["model_name"]));
        }
    }

    [Fact]
    public async Task Metrics_AfterTraffic_CountersMoveByTheServedTokens()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);
        using var client = Simulator.Client(server);
        var before = PrometheusText.Parse(await client.GetStringAsync("metrics"));

        var promptTokens = 0;
        for (var i = 0; i < 3; i++)
        {
            using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 5, stream: i == 2));
            if (i < 2)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                promptTokens = json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
            }
            else
            {
                await response.Content.ReadAsStringAsync();
            }
        }

        var after = PrometheusText.Parse(await client.GetStringAsync("metrics"));
        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);

        Assert.Equal(3 * promptTokens, Delta("vllm:prompt_tokens_total"));
        Assert.Equal(15, Delta("vllm:generation_tokens_total"));
        Assert.Equal(3, Delta("vllm:request_success_total", ("finished_reason", "length")));
        Assert.Equal(3, Delta("vllm:time_to_first_token_seconds_count"));
        Assert.Equal(12, Delta("vllm:inter_token_latency_seconds_count"));
        Assert.Equal(3, Delta("vllm:e2e_request_latency_seconds_count"));
        Assert.Equal(0, after.Value("vllm:num_requests_running"));
        Assert.Equal(0, after.Value("vllm:kv_cache_usage_perc"));
    }

    [Fact]
    public async Task Metrics_WhileAStreamRuns_ShowItRunningAndHoldingKvCache()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { TimeScale = 0.01, InterTokenLatencyMs = 100_000 });
        using var client = Simulator.Client(server);

        var stream = Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 3));
        await QueueTests.WaitForAsync(client, "vllm:num_requests_running", 1);
        var during = PrometheusText.Parse(await client.GetStringAsync("metrics"));
        (await stream).Dispose();

        Assert.True(during.Value("vllm:kv_cache_usage_perc") > 0);
    }
}
