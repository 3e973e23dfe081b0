namespace Portal.Core.Metrics;

/// <summary>One source's cumulative TTFT histogram as one scrape read it: a replica or a serverless target.</summary>
public sealed record ScrapedTtft(Guid TargetId, string Source, ServerTtftHistogram Cumulative);

/// <summary>
/// What one scrape run adds to each target's server-side TTFT: the delta of each source against the baseline its
/// previous successful scrape left, merged over the target's sources. A source with no baseline yet only sets one —
/// its counters hold the engine's whole life, not this interval — and a counter that went down (the engine restarted)
/// counts from zero, as <see cref="ServerTtftHistogram.DeltaSince"/> does.
/// </summary>
public static class ServerTtftScrapeRun
{
    /// <summary>
    /// The merged delta per target, for targets with at least one source that had a baseline; a target whose sources
    /// are all new has no entry. <paramref name="baseline"/> answers the stored cumulative histogram of (target, source).
    /// </summary>
    public static IReadOnlyDictionary<Guid, ServerTtftHistogram> TargetDeltas(IEnumerable<ScrapedTtft> scraped,
        Func<Guid, string, ServerTtftHistogram?> baseline)
    {
        ArgumentNullException.ThrowIfNull(scraped);
        ArgumentNullException.ThrowIfNull(baseline);
        var deltas = new Dictionary<Guid, List<ServerTtftHistogram>>();
        foreach (var source in scraped)
        {
            if (baseline(source.TargetId, source.Source) is not { } previous)
            {
                continue;
            }

            if (!deltas.TryGetValue(source.TargetId, out var list))
            {
                deltas[source.TargetId] = list = [];
            }

            list.Add(source.Cumulative.DeltaSince(previous));
        }

        return deltas.ToDictionary(d => d.Key, d => ServerTtftHistogram.Merge(d.Value)!);
    }
}
