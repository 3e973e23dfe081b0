using Microsoft.EntityFrameworkCore;
using Portal.Core.Metrics;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Observability;

/// <summary>Server-side TTFT of one target over a span: what its engines measured, before queueing and network.</summary>
public sealed record ServerTtftSummary(Guid TargetId, long Count, double? P50, double? P99, DateTimeOffset? LastScrape);

/// <summary>
/// Server-side TTFT per target, in the database: the last cumulative histogram of each scraped source (the baseline)
/// and one point per target per scrape run holding the merged delta of its sources. Any portal instance continues
/// from the baselines the last run left, so a restart or a second instance neither loses nor repeats an interval.
/// </summary>
public sealed class ServerTtftHistory(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<ServerTtftHistory> logger)
{
    /// <summary>One source's scrape, with the tenant of the target it serves.</summary>
    public sealed record Scrape(Guid TenantId, ScrapedTtft Reading, DateTimeOffset At);

    /// <summary>
    /// Records one scrape run at <paramref name="at"/>: a point per target whose sources had a baseline, and every
    /// source's new baseline, in one transaction. Returns the points written; none when another run moved a baseline
    /// since this one read it (that run counted the interval; the next run continues from its baselines). A new source
    /// inserted by two overlapping runs fails the later one on its key, which likewise records nothing.
    /// </summary>
    public async Task<int> RecordAsync(IReadOnlyList<Scrape> scrapes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (scrapes.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var targetIds = scrapes.Select(s => s.Reading.TargetId).Distinct().ToList();
        var baselines = await db.ServerTtftBaselines.Where(b => targetIds.Contains(b.TargetId))
            .ToDictionaryAsync(b => (b.TargetId, b.Source), cancellationToken);
        var deltas = ServerTtftScrapeRun.TargetDeltas(scrapes.Select(s => s.Reading),
            (target, source) => baselines.TryGetValue((target, source), out var b) ? ServerTtftHistogram.FromBytes(b.Histogram) : null);

        foreach (var scrape in scrapes)
        {
            var key = (scrape.Reading.TargetId, scrape.Reading.Source);
            if (!baselines.TryGetValue(key, out var baseline))
            {
                baseline = new ServerTtftBaseline { TargetId = key.TargetId, Source = key.Source, TenantId = scrape.TenantId, Histogram = [] };
                db.ServerTtftBaselines.Add(baseline);
                baselines[key] = baseline;
            }

            baseline.ScrapedAt = scrape.At;
            baseline.Histogram = scrape.Reading.Cumulative.ToBytes();
        }

        var tenants = scrapes.GroupBy(s => s.Reading.TargetId).ToDictionary(g => g.Key, g => g.First().TenantId);
        db.ServerTtftPoints.AddRange(deltas.Select(d => new ServerTtftPoint
        {
            TenantId = tenants[d.Key], TargetId = d.Key, At = at, Count = d.Value.Count, SumSeconds = d.Value.SumSeconds, Histogram = d.Value.ToBytes(),
        }));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return deltas.Count;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Another scrape run moved these sources' baselines first; this run's deltas are dropped.");
            return 0;
        }
    }

    /// <summary>The merged points of <paramref name="targetId"/> in the tenant's window [<paramref name="from"/>, now).</summary>
    public async Task<ServerTtftSummary> SummaryAsync(Guid tenantId, Guid targetId, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var window = db.ServerTtftPoints.AsNoTracking().Where(p => p.TenantId == tenantId && p.TargetId == targetId && p.At >= from && p.At < now);
        var last = await window.OrderByDescending(p => p.At).Select(p => (DateTimeOffset?)p.At).FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return new ServerTtftSummary(targetId, 0, null, null, null);
        }

        // Idle intervals hold no observations; only points with requests are decoded.
        var histograms = await window.Where(p => p.Count > 0).Select(p => p.Histogram).ToListAsync(cancellationToken);
        var merged = ServerTtftHistogram.Merge(histograms.Select(h => ServerTtftHistogram.FromBytes(h)));
        return new ServerTtftSummary(targetId, (long)Math.Round(merged?.Count ?? 0), merged?.PercentileMs(50), merged?.PercentileMs(99), last);
    }

    /// <summary>Deletes points older than <paramref name="cutoff"/> and the baselines of sources not scraped since.</summary>
    /// <returns>How many points were deleted.</returns>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var points = await db.ServerTtftPoints.Where(p => p.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.ServerTtftBaselines.Where(b => b.ScrapedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return points;
    }
}

/// <summary>One target's engine-measured TTFT beside the gateway-measured TTFT of its tier.</summary>
public sealed record ServerTtftRow(string Target, string Tier, ServerTtftSummary Server, double? GatewayP50, double? GatewayP99);
