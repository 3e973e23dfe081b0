using Portal.Core.Metrics;

namespace Portal.Core.Tests.Metrics;

public sealed class ServerTtftHistogramTests
{
    // As vLLM 0.10 (V1 engine, prometheus_client) serves it: _sum before the buckets, le between other labels, _created.
    private const string Vllm = """
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 3.0
        # HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
        # TYPE vllm:time_to_first_token_seconds histogram
        vllm:time_to_first_token_seconds_sum{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 21.75
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.001",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.005",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.01",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.02",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.04",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.06",model_name="meta-llama/Llama-3.1-8B-Instruct"} 10.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.08",model_name="meta-llama/Llama-3.1-8B-Instruct"} 40.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="meta-llama/Llama-3.1-8B-Instruct"} 80.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.25",model_name="meta-llama/Llama-3.1-8B-Instruct"} 95.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.5",model_name="meta-llama/Llama-3.1-8B-Instruct"} 98.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.75",model_name="meta-llama/Llama-3.1-8B-Instruct"} 98.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 98.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="2.5",model_name="meta-llama/Llama-3.1-8B-Instruct"} 99.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="5.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 99.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="7.5",model_name="meta-llama/Llama-3.1-8B-Instruct"} 99.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="10.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 99.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="20.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="40.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="80.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="160.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="640.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="2560.0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_count{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 100.0
        vllm:time_to_first_token_seconds_created{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 1.7643e+09
        # HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.
        # TYPE vllm:inter_token_latency_seconds histogram
        vllm:inter_token_latency_seconds_bucket{engine="0",le="0.01",model_name="meta-llama/Llama-3.1-8B-Instruct"} 500.0
        vllm:inter_token_latency_seconds_bucket{engine="0",le="+Inf",model_name="meta-llama/Llama-3.1-8B-Instruct"} 900.0
        vllm:inter_token_latency_seconds_count{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 900.0
        """;

    // As SGLang 0.4 serves it (--enable-metrics): label order model_name first, integer-looking edges, a second model.
    private const string Sglang = """
        # HELP sglang:prompt_tokens_total Number of prefill tokens processed.
        # TYPE sglang:prompt_tokens_total counter
        sglang:prompt_tokens_total{model_name="Qwen/Qwen2.5-7B-Instruct"} 123456.0
        # HELP sglang:time_to_first_token_seconds Histogram of time to first token in seconds.
        # TYPE sglang:time_to_first_token_seconds histogram
        sglang:time_to_first_token_seconds_bucket{le="0.1",model_name="Qwen/Qwen2.5-7B-Instruct"} 4.0
        sglang:time_to_first_token_seconds_bucket{le="0.2",model_name="Qwen/Qwen2.5-7B-Instruct"} 6.0
        sglang:time_to_first_token_seconds_bucket{le="0.4",model_name="Qwen/Qwen2.5-7B-Instruct"} 8.0
        sglang:time_to_first_token_seconds_bucket{le="1.0",model_name="Qwen/Qwen2.5-7B-Instruct"} 10.0
        sglang:time_to_first_token_seconds_bucket{le="+Inf",model_name="Qwen/Qwen2.5-7B-Instruct"} 10.0
        sglang:time_to_first_token_seconds_count{model_name="Qwen/Qwen2.5-7B-Instruct"} 10.0
        sglang:time_to_first_token_seconds_sum{model_name="Qwen/Qwen2.5-7B-Instruct"} 2.5
        sglang:time_to_first_token_seconds_bucket{le="0.1",model_name="a \"quoted\" {odd}, name"} 6.0
        sglang:time_to_first_token_seconds_bucket{le="0.2",model_name="a \"quoted\" {odd}, name"} 8.0
        sglang:time_to_first_token_seconds_bucket{le="0.4",model_name="a \"quoted\" {odd}, name"} 10.0
        sglang:time_to_first_token_seconds_bucket{le="1.0",model_name="a \"quoted\" {odd}, name"} 10.0
        sglang:time_to_first_token_seconds_bucket{le="+Inf",model_name="a \"quoted\" {odd}, name"} 10.0
        sglang:time_to_first_token_seconds_count{model_name="a \"quoted\" {odd}, name"} 10.0 1764300000000
        sglang:time_to_first_token_seconds_sum{model_name="a \"quoted\" {odd}, name"} 1.0
        sglang:time_to_first_token_seconds_bucket{le=broken} 99
        """;

    [Fact]
    public void Vllm_ReadsTheTtftFamilyOnly_WithItsEdges_AndInterpolatesPercentiles()
    {
        var histogram = ServerTtftHistogram.Parse(Vllm)!;

        Assert.Equal(100, histogram.Count);
        Assert.Equal(21.75, histogram.SumSeconds, 6);
        Assert.Equal(23, histogram.UpperBounds.Count);
        Assert.True(double.IsPositiveInfinity(histogram.UpperBounds[^1]));
        // Rank 50 falls in (0.08, 0.1] holding 40..80: 0.08 + 0.02 × 10/40 = 0.085 s.
        Assert.Equal(85, histogram.PercentileMs(50)!.Value, 6);
        // Rank 99 is the 99th observation, at the top of (1.0, 2.5].
        Assert.Equal(2500, histogram.PercentileMs(99)!.Value, 6);
    }

    [Fact]
    public void Sglang_SumsEveryLabelSet_SkipsMalformedLines_AndToleratesEscapedLabelValues()
    {
        var histogram = ServerTtftHistogram.Parse(Sglang)!;

        Assert.Equal(20, histogram.Count);
        Assert.Equal(3.5, histogram.SumSeconds, 6);
        Assert.Equal([0.1, 0.2, 0.4, 1.0, double.PositiveInfinity], histogram.UpperBounds);
        Assert.Equal([10.0, 14, 18, 20, 20], histogram.Cumulative);
        Assert.Equal(100, histogram.PercentileMs(50)!.Value, 6);
    }

    [Fact]
    public void Delta_SubtractsThePreviousScrape_AndACounterResetStartsAgain()
    {
        var before = ServerTtftHistogram.Parse(Sglang)!;
        var after = ServerTtftHistogram.Parse(Sglang.Replace("_bucket{le=\"1.0\",model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 10.0", "_bucket{le=\"1.0\",model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 13.0")
            .Replace("_bucket{le=\"+Inf\",model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 10.0", "_bucket{le=\"+Inf\",model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 13.0")
            .Replace("_count{model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 10.0", "_count{model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 13.0"))!;

        var delta = after.DeltaSince(before);
        Assert.Equal(3, delta.Count);
        Assert.Equal([0.0, 0, 0, 3, 3], delta.Cumulative);
        // All three new observations lie in (0.4, 1.0]: the median is interpolated there.
        Assert.Equal(700, delta.PercentileMs(50)!.Value, 6);

        var restarted = before.DeltaSince(after);
        Assert.Same(before, restarted);
        Assert.Null(after.DeltaSince(after).PercentileMs(50));
        Assert.Equal(26, ServerTtftHistogram.Merge([delta, delta, before])!.Count);
    }

    [Fact]
    public void TextWithoutATtftHistogram_GivesNull()
    {
        Assert.Null(ServerTtftHistogram.Parse("# TYPE up gauge\nup 1\n"));
        Assert.Null(ServerTtftHistogram.Parse(""));
    }
}
