using Portal.Core.Latency;

namespace Portal.Core.Signals;

/// <summary>
/// A model's production traffic over a window: what the migration signals measure. The builders drop probes and
/// shadow copies even when the caller already filtered them, because one probe-heavy quiet hour would skew p99.
/// </summary>
public sealed class TrafficStats
{
    public TrafficStats(long requests, long coldStarts, long inputTokens, long outputTokens, LatencyHistogram ttft)
    {
        ArgumentNullException.ThrowIfNull(ttft);
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        ArgumentOutOfRangeException.ThrowIfNegative(coldStarts);
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        Requests = requests;
        ColdStarts = coldStarts;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        Ttft = ttft;
    }

    /// <summary>Production requests, errors included.</summary>
    public long Requests { get; }

    public long ColdStarts { get; }

    public long InputTokens { get; }

    public long OutputTokens { get; }

    /// <summary>TTFT of the production requests that produced a first token.</summary>
    public LatencyHistogram Ttft { get; }

    /// <summary>Sums the production rollups (<see cref="RollupKey.Traffic"/>); cold starts are as the gateway flagged them.</summary>
    public static TrafficStats FromRollups(IEnumerable<MinuteRollup> rollups)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        long requests = 0, coldStarts = 0, input = 0, output = 0;
        var ttft = LatencyHistogram.Accumulator();
        foreach (var rollup in rollups.Where(r => r.Key.Traffic == TrafficKind.Production))
        {
            requests += rollup.Requests;
            coldStarts += rollup.ColdStarts;
            input += rollup.PromptTokens;
            output += rollup.CompletionTokens;
            ttft.Merge(rollup.Ttft);
        }

        return new TrafficStats(requests, coldStarts, input, output, ttft);
    }

    /// <summary>Sums the production samples; <paramref name="rule"/> (default 5 s) decides which are cold starts.</summary>
    public static TrafficStats FromSamples(IEnumerable<LatencySample> samples, ColdStartRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        rule ??= ColdStartRule.Default;
        long requests = 0, coldStarts = 0, input = 0, output = 0;
        var ttft = new LatencyHistogram();
        foreach (var sample in samples.Where(s => s.Traffic == TrafficKind.Production))
        {
            requests++;
            input += sample.PromptTokens;
            output += sample.CompletionTokens;
            if (sample.TtftMs is { } value)
            {
                ttft.Record(value);
                if (rule.IsColdStart(value))
                {
                    coldStarts++;
                }
            }
        }

        return new TrafficStats(requests, coldStarts, input, output, ttft);
    }
}
