namespace Portal.Core.Sla;

/// <summary>
/// A customer's TTFT objective for one endpoint, e.g. "p99 ≤ 800 ms over 30 days": at most (100 − percentile) % of the
/// endpoint's production requests may take longer than <see cref="ThresholdMs"/> to their first token, counted over a
/// rolling window of <see cref="WindowDays"/> days.
/// </summary>
public sealed record LatencyObjective(int ThresholdMs, int Percentile, int WindowDays)
{
    /// <summary>The percentiles an objective may name.</summary>
    public static IReadOnlyList<int> Percentiles { get; } = [90, 95, 99];

    /// <summary>The rolling windows an objective may be counted over, in days.</summary>
    public static IReadOnlyList<int> WindowsInDays { get; } = [7, 30];

    /// <summary>The largest threshold: one hour, the largest TTFT the stored histograms distinguish.</summary>
    public const int MaxThresholdMs = 3_600_000;

    /// <summary>The share of requests allowed over the threshold: 0.01 for p99, 0.05 for p95, 0.10 for p90.</summary>
    public decimal AllowedShare => (100m - Percentile) / 100m;

    public TimeSpan Window => TimeSpan.FromDays(WindowDays);

    /// <summary>"p99 ≤ 800 ms over 30 days".</summary>
    public override string ToString() => $"p{Percentile} ≤ {ThresholdMs} ms over {WindowDays} days";

    /// <summary>Problems with a requested objective, by field (camelCase); empty when it may be set.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(int? thresholdMs, int? percentile, int? windowDays)
    {
        var errors = new Dictionary<string, string[]>();
        if (thresholdMs is not (>= 1 and <= MaxThresholdMs))
        {
            errors["thresholdMs"] = [$"Give the threshold in whole milliseconds, from 1 to {MaxThresholdMs:N0} (one hour)."];
        }

        if (percentile is not { } p || !Percentiles.Contains(p))
        {
            errors["percentile"] = [$"The percentile is one of {string.Join(", ", Percentiles)}."];
        }

        if (windowDays is not { } w || !WindowsInDays.Contains(w))
        {
            errors["windowDays"] = [$"The window is {string.Join(" or ", WindowsInDays)} days."];
        }

        return errors;
    }

    /// <summary>The objective of a request that <see cref="Validate"/> accepted.</summary>
    public static LatencyObjective From(int? thresholdMs, int? percentile, int? windowDays) =>
        Validate(thresholdMs, percentile, windowDays) is { Count: 0 }
            ? new LatencyObjective(thresholdMs!.Value, percentile!.Value, windowDays!.Value)
            : throw new ArgumentException($"Not a valid latency objective: p{percentile} ≤ {thresholdMs} ms over {windowDays} days.");
}
