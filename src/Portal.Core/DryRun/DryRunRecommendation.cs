using System.Globalization;
using Portal.Core.Latency;
using Portal.Core.Sla;

namespace Portal.Core.DryRun;

/// <summary>A candidate as the recommendation weighs it: its replayed TTFTs (recorded time) and its cost over the window.</summary>
public sealed record CandidateScore(string Name, IReadOnlyList<double> TtftMs, decimal? CostUsd);

/// <summary>
/// The answer of a comparison: the candidate to choose (null when none qualifies), the bar it was held to, and why.
/// </summary>
public sealed record DryRunRecommendation(string? Candidate, string Bar, string Reason, IReadOnlyList<string> Meeting);

public static class DryRunRecommender
{
    /// <summary>
    /// The cheapest candidate that meets the bar. The bar is the endpoint's TTFT objective (its percentile at or under
    /// its threshold); without one, the p99 the endpoint itself recorded over the window, and the answer says no objective
    /// is set. A candidate without a price cannot be the cheapest; ties go to the first given.
    /// </summary>
    public static DryRunRecommendation Recommend(IReadOnlyList<CandidateScore> candidates, LatencyObjective? objective, double? recordedP99Ms)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var (percentile, threshold, bar) = objective is not null
            ? (objective.Percentile, (double?)objective.ThresholdMs, $"the endpoint's objective, TTFT p{objective.Percentile} ≤ {objective.ThresholdMs} ms")
            : (99, recordedP99Ms, recordedP99Ms is { } p
                ? $"the p99 the endpoint recorded over the window, {Ms(p)} (no TTFT objective is set)"
                : "no TTFT objective is set and the window recorded no TTFT");
        if (threshold is not { } limit)
        {
            return new DryRunRecommendation(null, bar, "Nothing to hold the candidates to: set a TTFT objective on the endpoint.", []);
        }

        var meeting = candidates
            .Select(c => (Candidate: c, Value: ExactPercentiles.Percentile(c.TtftMs, percentile)))
            .Where(x => x.Value is { } v && v <= limit)
            .ToList();
        var names = meeting.Select(m => m.Candidate.Name).ToList();
        if (meeting.Count == 0)
        {
            return new DryRunRecommendation(null, bar, $"No candidate met {bar}. Try more replicas, burst or a faster GPU.", names);
        }

        var priced = meeting.Where(m => m.Candidate.CostUsd is not null).ToList();
        if (priced.Count == 0)
        {
            return new DryRunRecommendation(null, bar,
                $"{string.Join(", ", names)} met {bar}, but none has a price for its GPU in its region to compare.", names);
        }

        var cheapest = priced.MinBy(m => m.Candidate.CostUsd!.Value);
        return new DryRunRecommendation(cheapest.Candidate.Name, bar,
            $"{cheapest.Candidate.Name} is the cheapest candidate meeting {bar}: p{percentile} {Ms(cheapest.Value!.Value)} for "
            + $"${cheapest.Candidate.CostUsd!.Value.ToString("0.00", CultureInfo.InvariantCulture)} over the window.", names);
    }

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
