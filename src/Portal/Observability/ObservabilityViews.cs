namespace Portal.Observability;

/// <summary>p50…p99.9 in ms; each null when there was nothing to measure.</summary>
public sealed record TtftPercentiles(double? P50, double? P90, double? P95, double? P99, double? P999);

/// <summary>One display bucket (vLLM's edges); <see cref="UpperMs"/> is null for the +Inf bucket.</summary>
public sealed record TtftHistogramBucket(double? UpperMs, long Count);

public sealed record TtftSeriesPoint(DateTimeOffset Start, long Count, double? P50, double? P99);

/// <summary>One tier's side of the comparison a migration needs.</summary>
public sealed record TtftTier(string Tier, long Count, double? P50, double? P99, double? ColdStartRate, decimal? CostPerRequest);

/// <summary>
/// A cold-start event; <see cref="DeploymentId"/> links to the replica timeline when the target is dedicated.
/// <see cref="Operation"/> says what kind of request it was (<c>chat</c>, <c>text_completion</c>, <c>embeddings</c>):
/// for embeddings <see cref="TtftMs"/> is the time to the whole response.
/// </summary>
public sealed record ColdStartRow(DateTimeOffset Timestamp, double TtftMs, string Tier, Guid TargetId, string? ReplicaId, string? Region,
    bool AfterIdleGap, Guid? DeploymentId, string Operation);

/// <summary>Counts per (time bucket × TTFT bucket); <see cref="EdgesMs"/> has one entry fewer than each row.</summary>
public sealed record TtftHeatmap(IReadOnlyList<DateTimeOffset> Starts, IReadOnlyList<double> EdgesMs, IReadOnlyList<IReadOnlyList<long>> Counts);

/// <summary>The TTFT read-out of one model (docs/observability-api.md), plus what the page draws.</summary>
public sealed record TtftReport(
    string Model,
    string Window,
    DateTimeOffset From,
    DateTimeOffset To,
    long Count,
    TtftPercentiles Percentiles,
    IReadOnlyList<TtftHistogramBucket> Histogram,
    IReadOnlyList<TtftSeriesPoint> Series,
    IReadOnlyList<TtftTier> Tiers,
    IReadOnlyList<ColdStartRow> ColdStarts,
    IReadOnlyList<string> Regions,
    IReadOnlyList<Guid> EndpointIds,
    TtftHeatmap Heatmap,
    IReadOnlyList<IdleGapView> IdleGaps);

/// <summary>
/// The idle gap a target's cold starts were judged by: <see cref="Source"/> is <c>configured</c> (on the target),
/// <c>learnt</c> (from the silences before its recent cold starts) or <c>default</c> (<c>Observability:IdleGapMinutes</c>).
/// </summary>
public sealed record IdleGapView(Guid TargetId, string Target, double Seconds, string Source);

public sealed record SignalView(string Kind, string Title, double? Value, double Threshold, string Unit, string State, string Detail, string Evidence);

/// <summary>A replica's generated tokens/s and where the figure comes from (measured at load, or the catalog's source).</summary>
public sealed record CapacityView(double TokensPerSecond, string Source);

/// <summary>
/// What one tier of the endpoint cost in the window: dedicated spend by its replicas' real lifetimes (baseline and
/// burst), serverless spend by its tokens, spread over every request the target served (shadow copies included).
/// </summary>
public sealed record TierCostView(string Tier, string Target, decimal SpendUsd, long Requests, decimal? PerRequestUsd, double? ReplicaHours);

/// <summary>
/// The four signals of one endpoint and the sentence they add up to. <see cref="Serving"/> is <c>serverless</c> or
/// <c>dedicated</c> (its primary target); a dedicated endpoint has <see cref="Advice"/> (keep, scaleDown, moveBack,
/// notMeasured) instead of a move. <see cref="MeetsObjective"/> judges the endpoint's TTFT <see cref="Objective"/> (e.g.
/// "p99 ≤ 800 ms over 30 days"); both are null while it has none, or no production request in its window.
/// </summary>
public sealed record SignalsReport(
    string Model,
    string Window,
    string Recommendation,
    bool MoveToDedicated,
    IReadOnlyList<SignalView> Signals,
    string Serving = "serverless",
    string? Advice = null,
    double? Utilisation = null,
    CapacityView? Capacity = null,
    IReadOnlyList<TierCostView>? Costs = null,
    bool? MeetsObjective = null,
    string? Objective = null,
    Guid? EndpointId = null);

public sealed record FleetReport(IReadOnlyList<SignalsReport> Models);

/// <summary>The filters of a TTFT query; <see cref="Tier"/> is dedicated, serverless or shadow.</summary>
public sealed record TtftQuery(string Model, string? Window = null, string? Tier = null, string? Region = null, Guid? EndpointId = null);
