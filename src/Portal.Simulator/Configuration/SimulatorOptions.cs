using Microsoft.Extensions.Logging;

namespace Portal.Simulator.Configuration;

/// <summary>
/// Every knob of the simulator. Durations are simulated: the server waits <c>duration × TimeScale</c> of real time.
/// Each property can be set by a JSON profile (camelCase name) and by a command-line flag (kebab-case name);
/// flags override the profile.
/// </summary>
public sealed record SimulatorOptions
{
    /// <summary>Model name served under <c>/v1/models</c>; requests naming another model get 404.</summary>
    public string ServedModelName { get; init; } = "meta-llama/Llama-3.1-8B-Instruct";

    /// <summary>Address Kestrel binds to.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port Kestrel binds to; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Like vLLM's <c>--api-key</c>: when not empty, every <c>/v1</c> route demands <c>Authorization: Bearer &lt;key&gt;</c>
    /// and answers 401 otherwise; <c>/health</c> and <c>/metrics</c> stay open, as in vLLM.
    /// </summary>
    public string ApiKey { get; init; } = "";

    /// <summary>Prompt plus completion tokens allowed per request.</summary>
    public int MaxModelLen { get; init; } = 32768;

    /// <summary>Sequences decoded at once (vLLM <c>--max-num-seqs</c>); later requests wait in the queue.</summary>
    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>Requests allowed to wait for a slot; one more is refused with 429.</summary>
    public int MaxWaitingRequests { get; init; } = 1024;

    /// <summary>KV-cache capacity in tokens; running prompt and generated tokens over this give <c>kv_cache_usage_perc</c>.</summary>
    public int KvCacheTokens { get; init; } = 400_000;

    /// <summary>Completion length when a request sets no <c>max_tokens</c>.</summary>
    public int DefaultMaxTokens { get; init; } = 256;

    /// <summary>Length of every vector <c>/v1/embeddings</c> answers (fixed per model, as for a real embedding model).</summary>
    public int EmbeddingDimensions { get; init; } = 1024;

    /// <summary>Time to load the weights at start; <c>/health</c> answers 503 meanwhile.</summary>
    public double WeightLoadSeconds { get; init; } = 5;

    /// <summary>Whether idle weights are evicted (serverless) or stay resident (dedicated).</summary>
    public bool ScaleToZero { get; init; }

    /// <summary>Idle time after which evicted weights must be reloaded.</summary>
    public double IdleTimeoutSeconds { get; init; } = 300;

    /// <summary>Reload time paid by the first request after an eviction, before its first token.</summary>
    public double ColdStartSeconds { get; init; } = 15;

    /// <summary>Fixed part of prefill per request.</summary>
    public double PrefillOverheadMs { get; init; } = 60;

    /// <summary>Prefill time per prompt token.</summary>
    public double PrefillMsPerToken { get; init; } = 0.02;

    /// <summary>Log-normal sigma of the prefill time (0 = exact; the configured value is the median).</summary>
    public double TtftJitter { get; init; } = 0.15;

    /// <summary>Median gap between generated tokens.</summary>
    public double InterTokenLatencyMs { get; init; } = 12;

    /// <summary>Log-normal sigma of each token gap (0 = exact).</summary>
    public double InterTokenLatencyJitter { get; init; } = 0.1;

    /// <summary>Extra fraction of prefill and decode time per other running sequence (batching contention).</summary>
    public double SlowdownPerRunningSeq { get; init; } = 0.002;

    /// <summary>Mean simulated time between the starts of noisy-neighbour episodes; 0 turns them off.</summary>
    public double NoisyNeighborMeanIntervalSeconds { get; init; }

    /// <summary>Length of one noisy-neighbour episode.</summary>
    public double NoisyNeighborDurationSeconds { get; init; } = 20;

    /// <summary>Factor applied to prefill and decode time during an episode.</summary>
    public double NoisyNeighborSlowdown { get; init; } = 3;

    /// <summary>Fraction of requests answered 500.</summary>
    public double ErrorRate500 { get; init; }

    /// <summary>Fraction of requests answered 503.</summary>
    public double ErrorRate503 { get; init; }

    /// <summary>Fraction of requests answered 429.</summary>
    public double ErrorRate429 { get; init; }

    /// <summary>Fraction of requests whose connection is dropped halfway through the completion.</summary>
    public double DropRate { get; init; }

    /// <summary>Seed of every random choice; the same seed and the same arrival order give the same run.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Real seconds per simulated second: 0.01 makes every simulated duration 100 times shorter.</summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>
    /// Like vLLM's <c>--enable-log-requests</c>: each request's prompt is written to the engine log. Off by default, and
    /// the portal never turns it on (zero retention); it exists so a test can tell that it stays off.
    /// </summary>
    public bool EnableLogRequests { get; init; }

    /// <summary>Real seconds between the engine log's throughput lines while requests run (vLLM writes one every 10 s).</summary>
    public double LogStatsIntervalSeconds { get; init; } = 5;

    /// <summary>Minimum level written to the console.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first knob out of range.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ServedModelName), nameof(ServedModelName), "must not be empty");
        Require(Port is >= 0 and <= 65535, nameof(Port), "must be 0..65535");
        Require(MaxModelLen >= 1, nameof(MaxModelLen), "must be at least 1");
        Require(MaxNumSeqs >= 1, nameof(MaxNumSeqs), "must be at least 1");
        Require(MaxWaitingRequests >= 0, nameof(MaxWaitingRequests), "must not be negative");
        Require(KvCacheTokens >= 1, nameof(KvCacheTokens), "must be at least 1");
        Require(DefaultMaxTokens >= 1, nameof(DefaultMaxTokens), "must be at least 1");
        Require(EmbeddingDimensions is >= 1 and <= 65536, nameof(EmbeddingDimensions), "must be 1..65536");
        Require(TimeScale > 0, nameof(TimeScale), "must be greater than 0");
        foreach (var (name, value) in new[]
        {
            (nameof(WeightLoadSeconds), WeightLoadSeconds), (nameof(IdleTimeoutSeconds), IdleTimeoutSeconds),
            (nameof(ColdStartSeconds), ColdStartSeconds), (nameof(PrefillOverheadMs), PrefillOverheadMs),
            (nameof(PrefillMsPerToken), PrefillMsPerToken), (nameof(TtftJitter), TtftJitter),
            (nameof(InterTokenLatencyMs), InterTokenLatencyMs), (nameof(InterTokenLatencyJitter), InterTokenLatencyJitter),
            (nameof(SlowdownPerRunningSeq), SlowdownPerRunningSeq),
            (nameof(NoisyNeighborMeanIntervalSeconds), NoisyNeighborMeanIntervalSeconds),
            (nameof(NoisyNeighborDurationSeconds), NoisyNeighborDurationSeconds),
            (nameof(LogStatsIntervalSeconds), LogStatsIntervalSeconds),
        })
        {
            Require(value >= 0 && double.IsFinite(value), name, "must be a finite number ≥ 0");
        }

        Require(NoisyNeighborSlowdown >= 1, nameof(NoisyNeighborSlowdown), "must be at least 1");
        foreach (var (name, value) in new[]
        {
            (nameof(ErrorRate500), ErrorRate500), (nameof(ErrorRate503), ErrorRate503),
            (nameof(ErrorRate429), ErrorRate429), (nameof(DropRate), DropRate),
        })
        {
            Require(value is >= 0 and <= 1, name, "must be between 0 and 1");
        }

        Require(ErrorRate500 + ErrorRate503 + ErrorRate429 + DropRate <= 1, "error rates", "must add up to at most 1");
    }

    private static void Require(bool condition, string knob, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{SimulatorCommandLine.FlagName(knob)} {rule}.");
        }
    }
}
