namespace Portal.Core.Latency;

/// <summary>
/// Everything kept about one <see cref="RollupKey"/>'s minute: a TTFT histogram plus counts. Rollups are additive:
/// a store that already holds a row for the key merges a late one into it with <see cref="Merge"/>. An hour rollup is
/// the same shape, keyed by the hour's start (see <see cref="RollupLevels"/>).
/// </summary>
public sealed class MinuteRollup
{
    /// <summary>An empty rollup for <paramref name="key"/>.</summary>
    public MinuteRollup(RollupKey key)
        : this(key, new LatencyHistogram(), 0, 0, 0, 0, 0, null)
    {
    }

    /// <summary>Rebuilds a stored rollup (histogram from <see cref="LatencyHistogram.FromBytes"/>).</summary>
    public MinuteRollup(
        RollupKey key,
        LatencyHistogram ttft,
        long requests,
        long errors,
        long coldStarts,
        long promptTokens,
        long completionTokens,
        double? maxColdStartTtftMs)
    {
        ArgumentNullException.ThrowIfNull(ttft);
        Key = key;
        Ttft = ttft;
        Requests = requests;
        Errors = errors;
        ColdStarts = coldStarts;
        PromptTokens = promptTokens;
        CompletionTokens = completionTokens;
        MaxColdStartTtftMs = maxColdStartTtftMs;
    }

    public RollupKey Key { get; }

    /// <summary>TTFT of the requests that produced a first content token.</summary>
    public LatencyHistogram Ttft { get; }

    public long Requests { get; private set; }

    /// <summary>Requests answered with anything but 2xx (see <see cref="LatencySample.IsError"/>).</summary>
    public long Errors { get; private set; }

    public long ColdStarts { get; private set; }

    public long PromptTokens { get; private set; }

    public long CompletionTokens { get; private set; }

    /// <summary>The largest TTFT among this minute's cold starts, exact; null when there were none.</summary>
    public double? MaxColdStartTtftMs { get; private set; }

    /// <summary>Adds <paramref name="other"/>'s counts and histogram; the keys must be equal.</summary>
    public void Merge(MinuteRollup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Key != Key)
        {
            throw new ArgumentException($"Cannot merge the rollup of {other.Key} into {Key}.", nameof(other));
        }

        Absorb(other);
    }

    /// <summary>Adds <paramref name="other"/>'s counts and histogram whatever its key (a minute into its hour).</summary>
    internal void Absorb(MinuteRollup other)
    {
        Ttft.Merge(other.Ttft);
        Requests += other.Requests;
        Errors += other.Errors;
        ColdStarts += other.ColdStarts;
        PromptTokens += other.PromptTokens;
        CompletionTokens += other.CompletionTokens;
        MaxColdStartTtftMs = Larger(MaxColdStartTtftMs, other.MaxColdStartTtftMs);
    }

    internal void Add(LatencySample sample)
    {
        Requests++;
        if (sample.IsError)
        {
            Errors++;
        }

        if (sample.TtftMs is { } ttft)
        {
            Ttft.Record(ttft);
            if (sample.IsColdStart)
            {
                ColdStarts++;
                MaxColdStartTtftMs = Larger(MaxColdStartTtftMs, ttft);
            }
        }

        PromptTokens += sample.PromptTokens;
        CompletionTokens += sample.CompletionTokens;
    }

    private static double? Larger(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
