using System.Globalization;
using Portal.Core.Latency;

namespace Portal.Core.DryRun;

/// <summary>One series of a dry-run chart: a name and one value per label.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<double> Values);

/// <summary>A chart's labels and series, ready to draw.</summary>
public sealed record ChartFigures(IReadOnlyList<string> Labels, IReadOnlyList<ChartLine> Lines);

/// <summary>
/// What the dry-run page charts, from the report alone: every candidate's replicas (and burst replicas) over the
/// recorded window on one common time axis, and the TTFT histograms of the recording and each candidate over the
/// buckets that hold any request.
/// </summary>
public static class DryRunCharts
{
    /// <summary>
    /// Replicas over time: the union of every candidate's step moments as the time axis (recorded time, m:ss or h:mm:ss),
    /// and for each candidate its running replicas, plus a burst series for a candidate that had any. Every moment after
    /// the first comes twice, unlabelled with the count before it and labelled with the count from it, so the lines
    /// step instead of sloping between changes.
    /// </summary>
    public static ChartFigures ReplicasOverTime(IReadOnlyList<CandidateReport> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var moments = candidates.SelectMany(c => c.ReplicasOverTime.Select(p => p.At)).Append(TimeSpan.Zero).Distinct().Order().ToList();
        var axis = moments.SelectMany((t, i) => i == 0
            ? new[] { (Label: Clock(t), At: t) }
            : [(Label: "", At: moments[i - 1]), (Label: Clock(t), At: t)]).ToList();
        var lines = new List<ChartLine>();
        foreach (var candidate in candidates)
        {
            lines.Add(new ChartLine(candidate.Name, axis.Select(a => (double)(At(candidate.ReplicasOverTime, a.At)?.Replicas ?? 0)).ToList()));
            if (candidate.ReplicasOverTime.Any(p => p.Burst > 0))
            {
                lines.Add(new ChartLine($"{candidate.Name} (burst)", axis.Select(a => (double)(At(candidate.ReplicasOverTime, a.At)?.Burst ?? 0)).ToList()));
            }
        }

        return new ChartFigures(axis.Select(a => a.Label).ToList(), lines);
    }

    /// <summary>
    /// TTFT histograms: the recording's (when the report kept it) and each candidate's, over the buckets from the first
    /// to the last that holds a request in any of them; labels are the buckets' upper edges ("≤ 250 ms", "> 2560 s").
    /// </summary>
    public static ChartFigures TtftHistograms(RecordedTraffic recorded, IReadOnlyList<CandidateReport> candidates, IReadOnlyList<double>? edges = null)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(candidates);
        edges ??= TtftBuckets.Default;
        var histograms = new List<(string Name, IReadOnlyList<long> Counts)>();
        if (recorded.TtftHistogram is { } own)
        {
            histograms.Add(("Recorded", own));
        }

        histograms.AddRange(candidates.Select(c => (c.Name, c.Summary.TtftHistogram)));
        var used = Enumerable.Range(0, edges.Count + 1).Where(i => histograms.Any(h => i < h.Counts.Count && h.Counts[i] > 0)).ToList();
        if (used.Count == 0)
        {
            return new ChartFigures([], []);
        }

        var buckets = Enumerable.Range(used[0], used[^1] - used[0] + 1).ToList();
        return new ChartFigures(
            buckets.Select(i => i < edges.Count ? "≤ " + Seconds(edges[i]) : "> " + Seconds(edges[^1])).ToList(),
            histograms.Select(h => new ChartLine(h.Name, buckets.Select(i => i < h.Counts.Count ? (double)h.Counts[i] : 0).ToList())).ToList());
    }

    private static ReplicaCountPoint? At(IReadOnlyList<ReplicaCountPoint> points, TimeSpan t) => points.LastOrDefault(p => p.At <= t);

    private static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
        : $"{(int)t.TotalMinutes}:{t.Seconds:00}";

    private static string Seconds(double seconds) => seconds < 1
        ? (seconds * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms"
        : seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
