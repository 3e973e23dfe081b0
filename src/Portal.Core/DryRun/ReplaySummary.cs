using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.DryRun;

/// <summary>One replayed request as the gateway measured it (replay time).</summary>
public sealed record ReplayedRequest(int StatusCode, double? TtftMs, bool Burst);

/// <summary>
/// One request as a replica's engine saw it: its arrival (offset from the replay's start, replay time), tokens, whether
/// it met a cold start, how long it waited for a running slot (replay milliseconds; null when refused), and a refusal.
/// </summary>
public sealed record EngineArrival(TimeSpan Offset, int PromptTokens, int MaxTokens, bool Streamed, bool ColdStart, double? QueueMs, bool Refused);

/// <summary>
/// What one candidate's replay showed, every duration already multiplied back into the recording's time: TTFT
/// percentiles and histogram (vLLM's TTFT bucket edges, <see cref="TtftBuckets.Default"/>), cold starts, queueing,
/// 429s, and the two measured migration signals as they would read over this traffic.
/// </summary>
public sealed record ReplaySummary(
    int Requests,
    int Succeeded,
    int Throttled,
    int Failed,
    double? TtftP50Ms,
    double? TtftP90Ms,
    double? TtftP99Ms,
    IReadOnlyList<long> TtftHistogram,
    int ColdStarts,
    int Queued,
    double? QueueMeanMs,
    double? QueueP99Ms,
    MigrationSignal TailDivergence,
    MigrationSignal ColdStartSignal)
{
    /// <summary>A request counts as queued when it waited longer than this (recorded time) for a running slot.</summary>
    public const double QueuedAboveMs = 1;

    /// <summary>
    /// Summarises a replay. TTFTs and queue waits are multiplied by the schedule's compression; a cold start is a
    /// successful request whose de-scaled TTFT is above <paramref name="rule"/>'s threshold (the gateway's own flag judges
    /// the compressed TTFT, so it is not used).
    /// </summary>
    public static ReplaySummary Summarise(
        ReplaySchedule schedule, IReadOnlyList<ReplayedRequest> gateway, IReadOnlyList<EngineArrival> engine, ColdStartRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(engine);
        rule ??= ColdStartRule.Default;
        var ttfts = TtftsMs(schedule, gateway);
        var waits = engine.Where(a => a.QueueMs is not null).Select(a => schedule.ToRecordedMs(a.QueueMs!.Value)).Order().ToArray();
        var coldStarts = ttfts.Count(t => t > rule.Threshold.TotalMilliseconds);
        var p50 = ExactPercentiles.PercentileOfSorted(ttfts, 50);
        var p99 = ExactPercentiles.PercentileOfSorted(ttfts, 99);
        return new ReplaySummary(
            gateway.Count,
            gateway.Count(r => r.StatusCode is >= 200 and < 300),
            gateway.Count(r => r.StatusCode == 429),
            gateway.Count(r => r.StatusCode is not (>= 200 and < 300) and not 429),
            p50,
            ExactPercentiles.PercentileOfSorted(ttfts, 90),
            p99,
            TtftBuckets.BucketCounts(ttfts.Select(t => t / 1000)),
            coldStarts,
            waits.Count(w => w > QueuedAboveMs),
            waits.Length == 0 ? null : waits.Average(),
            ExactPercentiles.PercentileOfSorted(waits, 99),
            ttfts.Length < MigrationSignals.MinimumRequests
                ? MigrationSignals.TailDivergence(ttfts.Length, 0, 0)
                : MigrationSignals.TailDivergence(ttfts.Length, p50!.Value, p99!.Value),
            MigrationSignals.ColdStarts(ttfts.Length, coldStarts));
    }

    /// <summary>The successful requests' TTFTs in the recording's time, ascending.</summary>
    public static double[] TtftsMs(ReplaySchedule schedule, IEnumerable<ReplayedRequest> gateway)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(gateway);
        return [.. gateway.Where(r => r.StatusCode is >= 200 and < 300 && r.TtftMs is not null).Select(r => schedule.ToRecordedMs(r.TtftMs!.Value)).Order()];
    }
}
