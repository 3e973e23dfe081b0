using System.Globalization;
using System.Text;
using Portal.Simulator.Engine;

namespace Portal.Simulator.Metrics;

/// <summary>
/// The engine's metrics under vLLM's names, labels (<c>model_name</c>, <c>engine</c>) and bucket edges, rendered in the
/// Prometheus text format the way prometheus_client does (counters declared without <c>_total</c>, samples with it).
/// Latencies are wall-clock seconds as a client would measure them, so a scaled-down run shows scaled-down latencies.
/// </summary>
internal sealed class SimulatorMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] _finishReasons = ["stop", "length", "abort"];

    private readonly InferenceEngine _engine;
    private readonly string _labels;
    private readonly long[] _successes = new long[_finishReasons.Length];
    private long _promptTokens;
    private long _generationTokens;
    private long _coldStarts;

    public SimulatorMetrics(InferenceEngine engine)
    {
        _engine = engine;
        _labels = $"model_name=\"{Escape(engine.Options.ServedModelName)}\",engine=\"0\"";
    }

    public Histogram TimeToFirstToken { get; } = new(VllmHistogramBuckets.TimeToFirstTokenSeconds);

    public Histogram InterTokenLatency { get; } = new(VllmHistogramBuckets.InterTokenLatencySeconds);

    public Histogram TimePerOutputToken { get; } = new(VllmHistogramBuckets.InterTokenLatencySeconds);

    public Histogram EndToEndLatency { get; } = new(VllmHistogramBuckets.RequestLatencySeconds);

    public Histogram QueueTime { get; } = new(VllmHistogramBuckets.RequestLatencySeconds);

    public void AddPromptTokens(int tokens) => Interlocked.Add(ref _promptTokens, tokens);

    public void AddGenerationTokens(int tokens) => Interlocked.Add(ref _generationTokens, tokens);

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long GenerationTokens => Interlocked.Read(ref _generationTokens);

    public void ColdStart() => Interlocked.Increment(ref _coldStarts);

    /// <summary>Counts a finished request; <paramref name="finishReason"/> is stop, length or abort.</summary>
    public void Finished(string finishReason) =>
        Interlocked.Increment(ref _successes[Array.IndexOf(_finishReasons, finishReason)]);

    public string Render()
    {
        var text = new StringBuilder(8192);
        Gauge(text, "vllm:num_requests_running", "Number of requests in model execution batches.", _engine.Running);
        Gauge(text, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", _engine.Waiting);
        Gauge(text, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", _engine.KvCacheUsage);
        Counter(text, "vllm:prompt_tokens", "Number of prefill tokens processed.", Interlocked.Read(ref _promptTokens));
        Counter(text, "vllm:generation_tokens", "Number of generation tokens processed.", Interlocked.Read(ref _generationTokens));

        Header(text, "vllm:request_success", "Count of successfully processed requests.", "counter");
        for (var i = 0; i < _finishReasons.Length; i++)
        {
            text.Append("vllm:request_success_total{").Append(_labels).Append(",finished_reason=\"")
                .Append(_finishReasons[i]).Append("\"} ").Append(Format(Interlocked.Read(ref _successes[i]))).Append('\n');
        }

        Write(text, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", TimeToFirstToken);
        Write(text, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", InterTokenLatency);
        Write(text, "vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.", TimePerOutputToken);
        Write(text, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", EndToEndLatency);
        Write(text, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", QueueTime);
        Counter(text, "simulator:cold_starts", "Requests that waited for evicted weights to reload.", Interlocked.Read(ref _coldStarts));
        return text.ToString();
    }

    private void Gauge(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "gauge");
        text.Append(name).Append('{').Append(_labels).Append("} ").Append(Format(value)).Append('\n');
    }

    private void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "counter");
        text.Append(name).Append("_total{").Append(_labels).Append("} ").Append(Format(value)).Append('\n');
    }

    private void Write(StringBuilder text, string name, string help, Histogram histogram)
    {
        Header(text, name, help, "histogram");
        var (cumulative, sum) = histogram.Snapshot();
        for (var i = 0; i < cumulative.Length; i++)
        {
            var le = i < histogram.UpperBounds.Count ? Format(histogram.UpperBounds[i]) : "+Inf";
            text.Append(name).Append("_bucket{").Append(_labels).Append(",le=\"").Append(le).Append("\"} ")
                .Append(Format(cumulative[i])).Append('\n');
        }

        text.Append(name).Append("_count{").Append(_labels).Append("} ").Append(Format(cumulative[^1])).Append('\n');
        text.Append(name).Append("_sum{").Append(_labels).Append("} ").Append(Format(sum)).Append('\n');
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    /// <summary>Python's float repr for the values seen here: 1 → "1.0", 0.001 → "0.001".</summary>
    internal static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0.0", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
}
