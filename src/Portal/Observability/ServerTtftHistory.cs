using Portal.Core.Metrics;

namespace Portal.Observability;

/// <summary>Server-side TTFT of one target over a span: what its engines measured, before queueing and network.</summary>
public sealed record ServerTtftSummary(Guid TargetId, long Count, double? P50, double? P99, DateTimeOffset? LastScrape);

/// <summary>
/// Server-side TTFT per target, kept in memory: each scrape's histogram delta goes into a bounded ring per target
/// (oldest dropped first), so the history covers about <see cref="ObservabilityOptions.ServerTtftHistoryHours"/> at
/// scrape resolution and is lost on restart. Thread-safe; one per process.
/// </summary>
public sealed class ServerTtftHistory(Microsoft.Extensions.Options.IOptions<ObservabilityOptions> options)
{
    private readonly Dictionary<string, ServerTtftHistogram> _lastCumulative = [];
    private readonly Dictionary<Guid, Queue<(DateTimeOffset At, ServerTtftHistogram Delta)>> _rings = [];
    private readonly Lock _gate = new();

    /// <summary>Points kept per target: the history span divided by the scrape interval.</summary>
    public int Capacity => Math.Max(2, (int)Math.Ceiling(options.Value.ServerTtftHistoryHours * 60 / Math.Max(1, options.Value.ScrapeIntervalMinutes)));

    /// <summary>
    /// Records one scrape of <paramref name="source"/> (a replica or a target) serving <paramref name="targetId"/>. The
    /// first scrape of a source only sets the baseline: its counters hold the engine's whole life, not this interval.
    /// </summary>
    public void Record(Guid targetId, string source, ServerTtftHistogram cumulative, DateTimeOffset at)
    {
        lock (_gate)
        {
            var key = $"{targetId:n}/{source}";
            var previous = _lastCumulative.GetValueOrDefault(key);
            _lastCumulative[key] = cumulative;
            if (previous is null)
            {
                return;
            }

            if (!_rings.TryGetValue(targetId, out var ring))
            {
                _rings[targetId] = ring = new Queue<(DateTimeOffset, ServerTtftHistogram)>();
            }

            ring.Enqueue((at, cumulative.DeltaSince(previous)));
            while (ring.Count > Capacity)
            {
                ring.Dequeue();
            }
        }
    }

    /// <summary>The merged deltas of <paramref name="targetId"/> recorded at or after <paramref name="from"/>.</summary>
    public ServerTtftSummary Summary(Guid targetId, DateTimeOffset from)
    {
        List<(DateTimeOffset At, ServerTtftHistogram Delta)> points;
        lock (_gate)
        {
            points = _rings.TryGetValue(targetId, out var ring) ? [.. ring.Where(p => p.At >= from)] : [];
        }

        var merged = ServerTtftHistogram.Merge(points.Select(p => p.Delta));
        return new ServerTtftSummary(targetId, (long)(merged?.Count ?? 0), merged?.PercentileMs(50), merged?.PercentileMs(99),
            points.Count == 0 ? null : points[^1].At);
    }
}

/// <summary>One target's engine-measured TTFT beside the gateway-measured TTFT of its tier.</summary>
public sealed record ServerTtftRow(string Target, string Tier, ServerTtftSummary Server, double? GatewayP50, double? GatewayP99);
