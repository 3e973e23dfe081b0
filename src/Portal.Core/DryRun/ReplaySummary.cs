using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.DryRun;

/// <summary>One replayed request as the gateway measured it (replay time).</summary>
public sealed record ReplayedRequest(int StatusCode, double? TtftMs, bool Burst);

/// <summary>
/// One request as a replica's engine saw it: its arrival (offset from the replay's start, replay time), tokens, whether
/// it met a cold start, how long it waited for a running slot (replay milliseconds; null when refused), a refusal, and
/// when its first token was due after it arrived (replay milliseconds: the waits and the planned prefill, without the
/// host timer's lateness; null when refused, and in reports stored before it was kept).
/// </summary>
public sealed record EngineArrival(
    TimeSpan Offset, int PromptTokens, int MaxTokens, bool Streamed, bool ColdStart, double? QueueMs, bool Refused, double? FirstTokenDueMs = null);

/// <summary>
/// What one candidate's replay showed, every duration already multiplied back into the recording's time: TTFT
/// percentiles and histogram (vLLM's TTFT bucket edges, <see cref="TtftBuckets.Default"/>), cold starts, queueing,
/// 429s, and the two measured migration signals as they would read over this traffic. <see cref="PathOverheadMs"/> is
/// the replay's own overhead per request (gateway, sockets, the host's timers), counted once rather than multiplied by
/// the compression (<see cref="PathOverhead"/>); null in reports stored before it was measured.
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
    MigrationSignal ColdStartSignal,
    double? PathOverheadMs = null)
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
        var overhead = PathOverhead(gateway, engine);
        var ttfts = TtftsMs(schedule, gateway, engine);
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
            MigrationSignals.ColdStarts(ttfts.Length, coldStarts),
            overhead);
    }

    /// <summary>
    /// The requests' TTFTs in the recording's time, ascending. A replay TTFT is the engine's simulated time, compressed,
    /// plus the replay's own path (<see cref="PathOverhead"/>: gateway, sockets, the host's timers), which is not. So each
    /// request's TTFT is the time its engine's first token was due, multiplied by the compression, plus the path counted
    /// once, as the recording counted its gateway once; a few milliseconds of host jitter would otherwise be multiplied
    /// too. Without the engines' due times (older simulators) it is the gateway's TTFT of each successful request,
    /// multiplied.
    /// </summary>
    public static double[] TtftsMs(ReplaySchedule schedule, IEnumerable<ReplayedRequest> gateway, IReadOnlyList<EngineArrival> engine)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(engine);
        var succeeded = gateway.Where(r => r.StatusCode is >= 200 and < 300 && r.TtftMs is not null).ToList();
        return PathOverhead(succeeded, engine) is { } overhead
            ? [.. engine.Where(a => !a.Refused && a.FirstTokenDueMs is not null).Select(a => schedule.ToRecordedMs(a.FirstTokenDueMs!.Value) + overhead).Order()]
            : [.. succeeded.Select(r => schedule.ToRecordedMs(r.TtftMs!.Value)).Order()];
    }

    /// <summary>
    /// The replay's own milliseconds per request between the gateway's TTFT and the engine's first token being due: the
    /// median of the successful requests' gateway TTFTs less the median of the engines' due times (replay ms, never
    /// below 0). Null when either side has none.
    /// </summary>
    public static double? PathOverhead(IEnumerable<ReplayedRequest> gateway, IReadOnlyList<EngineArrival> engine)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(engine);
        var measured = gateway.Where(r => r.StatusCode is >= 200 and < 300 && r.TtftMs is not null).Select(r => r.TtftMs!.Value).Order().ToArray();
        var due = engine.Where(a => !a.Refused && a.FirstTokenDueMs is not null).Select(a => a.FirstTokenDueMs!.Value).Order().ToArray();
        return measured.Length == 0 || due.Length == 0
            ? null
            : Math.Max(0, ExactPercentiles.PercentileOfSorted(measured, 50)!.Value - ExactPercentiles.PercentileOfSorted(due, 50)!.Value);
    }
}
