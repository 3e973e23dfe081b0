using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Cost;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Observability;

/// <summary>
/// TTFT of one model over a window: percentiles, histogram, series and heatmap from merged rollups (hours and minutes); tiers side
/// by side; cold-start events from the raw samples. Read-only, scoped to the caller's tenant.
/// </summary>
public sealed class TtftService(IDbContextFactory<PortalDbContext> dbFactory, IOptions<ObservabilityOptions> options, TimeProvider clock,
    ILogger<TtftService> logger)
{
    public async Task<ServiceResult<TtftReport>> GetAsync(Caller caller, Guid tenantId, TtftQuery query, CancellationToken ct = default)
    {
        if (!CanRead(caller, tenantId))
        {
            return ServiceResult<TtftReport>.NotFound("No such tenant.");
        }

        if (!TimeWindow.TryParse(query.Window ?? TimeWindow.OneDay.Name, out var window))
        {
            return ServiceResult<TtftReport>.Invalid("window", $"Use one of {string.Join(", ", TimeWindow.All.Select(w => w.Name))}.");
        }

        if (query.Tier is { } tier && !ServingTier.IsKnown(tier))
        {
            return ServiceResult<TtftReport>.Invalid("tier", $"Use one of {string.Join(", ", ServingTier.All)}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoints = await db.Endpoints.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Name == query.Model && (query.EndpointId == null || e.Id == query.EndpointId))
            .Select(e => e.Id).ToListAsync(ct);
        if (endpoints.Count == 0)
        {
            return ServiceResult<TtftReport>.NotFound($"No endpoint serves the model {query.Model}.");
        }

        var watch = Stopwatch.StartNew();
        var to = clock.GetUtcNow();
        var from = window.StartFor(to);
        var all = await RollupReader.ReadAsync(db, tenantId, endpoints, from, to, window.BucketSize, ct);
        var read = watch.Elapsed.TotalMilliseconds;
        var regions = all.Select(r => r.Key.Region).Where(r => r.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        var inRegion = all.Where(r => query.Region is null || r.Key.Region == query.Region).ToList();

        // Without a tier, the numbers are what programs saw: production traffic of every tier, no shadow copies or probes.
        var selected = inRegion.Where(r => query.Tier is { } t ? ServingTier.Of(r.Key) == t : r.Key.Traffic == TrafficKind.Production).ToList();
        var ttft = LatencyHistogram.Combine(selected.Select(r => r.Ttft));

        var merged = watch.Elapsed.TotalMilliseconds;
        var targets = await db.Targets.AsNoTracking().Include(t => t.Deployment).ThenInclude(d => d!.Replicas)
            .Where(t => t.TenantId == tenantId).ToDictionaryAsync(t => t.Id, ct);
        var loaded = watch.Elapsed.TotalMilliseconds;
        // The rollups count the window's cold starts: when they hold none, only the window's first, partial minute
        // (which no whole-minute rollup read here covers) can hold a cold-start sample, and only that minute is searched.
        var coldTo = all.Any(r => r.ColdStarts > 0) ? to : FirstWholeMinute(from);
        var (coldStarts, idleGaps) = await ColdStartsAsync(db, tenantId, endpoints, from, coldTo, query, targets, ct);
        var searched = watch.Elapsed.TotalMilliseconds;

        var report = new TtftReport(
            query.Model,
            window.Name,
            from,
            to,
            ttft.Count,
            new TtftPercentiles(ttft.Percentile(50), ttft.Percentile(90), ttft.Percentile(95), ttft.Percentile(99), ttft.Percentile(99.9)),
            Histogram(ttft),
            LatencySeries.Build(selected, window, to).Select(p => new TtftSeriesPoint(p.BucketStart, p.Requests, p.P50, p.P99)).ToList(),
            Tiers(inRegion, targets, from, to),
            coldStarts,
            regions,
            endpoints,
            Heatmap(selected, window, to),
            idleGaps);
        logger.LogDebug("page cost: TTFT {Model} {Window}: {Rollups} rollups read in {Read:0.0} ms, merged in {Merged:0.0} ms, targets {Targets:0.0} ms, "
            + "cold starts {ColdStarts:0.0} ms ({Events} events), figures {Figures:0.0} ms",
            query.Model, window.Name, all.Count, read, merged - read, loaded - merged, searched - loaded, coldStarts.Count, watch.Elapsed.TotalMilliseconds - searched);
        return ServiceResult<TtftReport>.Ok(report);
    }

    private static DateTimeOffset FirstWholeMinute(DateTimeOffset from) =>
        new(from.UtcTicks + (TimeSpan.TicksPerMinute - from.UtcTicks % TimeSpan.TicksPerMinute) % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    internal static bool CanRead(Caller caller, Guid tenantId) =>
        caller.In(tenantId) is { } access && AccessPolicy.CanUse(Area.Observability, access.Role, caller.IsSupport);

    private static List<TtftHistogramBucket> Histogram(LatencyHistogram ttft)
    {
        var counts = ttft.BucketCounts(TtftBuckets.Default);
        return counts.Select((count, i) => new TtftHistogramBucket(i < TtftBuckets.Default.Count ? TtftBuckets.Default[i] * 1000 : null, count)).ToList();
    }

    private static TtftHeatmap Heatmap(IEnumerable<MinuteRollup> rollups, TimeWindow window, DateTimeOffset to)
    {
        var heatmap = Core.Latency.Heatmap.Build(rollups, window, to);
        return new TtftHeatmap(
            heatmap.TimeBuckets,
            heatmap.EdgesSeconds.Select(s => s * 1000).ToList(),
            heatmap.TimeBuckets.Select((_, i) => heatmap.Row(i)).ToList());
    }

    private static List<TtftTier> Tiers(List<MinuteRollup> rollups, Dictionary<Guid, Target> targets, DateTimeOffset from, DateTimeOffset to)
    {
        var tiers = new List<TtftTier>();
        foreach (var tier in ServingTier.All)
        {
            var ofTier = rollups.Where(r => ServingTier.Of(r.Key) == tier).ToList();
            if (ofTier.Count == 0)
            {
                continue;
            }

            var ttft = LatencyHistogram.Combine(ofTier.Select(r => r.Ttft));
            var requests = ofTier.Sum(r => r.Requests);
            var coldStarts = ofTier.Sum(r => r.ColdStarts);
            tiers.Add(new TtftTier(
                tier,
                requests,
                ttft.Percentile(50),
                ttft.Percentile(99),
                requests > 0 ? (double)coldStarts / requests : null,
                CostPerRequest(ofTier, rollups, targets, from, to)));
        }

        return tiers;
    }

    /// <summary>
    /// Serverless: the tokens priced at each target's rates. Dedicated: each deployment's spend by its replicas' real
    /// lifetimes in the window (a deployment created mid-window, burst replicas), spread over every request its target
    /// served (shadow copies included: the replicas ran for them too). The shadow tier is costed the same way.
    /// </summary>
    private static decimal? CostPerRequest(List<MinuteRollup> ofTier, List<MinuteRollup> all, Dictionary<Guid, Target> targets, DateTimeOffset from,
        DateTimeOffset to)
    {
        decimal spend = 0;
        long requests = 0;
        foreach (var byTarget in ofTier.GroupBy(r => r.Key.TargetId))
        {
            if (!targets.TryGetValue(byTarget.Key, out var target))
            {
                return null;
            }

            if (target.Kind == TargetKind.Serverless)
            {
                spend += CostCalculator.ServerlessUsd(byTarget.Sum(r => r.PromptTokens), byTarget.Sum(r => r.CompletionTokens),
                    new TokenPrices(target.InputPricePerMillion, target.OutputPricePerMillion));
                requests += byTarget.Sum(r => r.Requests);
            }
            else if (target.Deployment is { } deployment)
            {
                spend += DeploymentSpend.Usd(deployment, from, to);
                requests += all.Where(r => r.Key.TargetId == target.Id && r.Key.Traffic != TrafficKind.Probe).Sum(r => r.Requests);
            }
            else
            {
                return null;
            }
        }

        return CostCalculator.PerRequest(spend, requests);
    }

    /// <summary>The cold-start events, each judged "after idle gap" by its own target's gap, and those gaps.</summary>
    private async Task<(List<ColdStartRow> Rows, List<IdleGapView> IdleGaps)> ColdStartsAsync(PortalDbContext db, Guid tenantId, List<Guid> endpoints, DateTimeOffset from,
        DateTimeOffset to, TtftQuery query, Dictionary<Guid, Target> targets, CancellationToken ct)
    {
        var settings = options.Value;
        var wantShadow = query.Tier == ServingTier.Shadow;
        var kind = query.Tier switch
        {
            ServingTier.Dedicated => TargetKind.Dedicated,
            ServingTier.Serverless => (TargetKind?)TargetKind.Serverless,
            _ => null,
        };
        var events = await db.RequestSamples.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.EndpointId != null && endpoints.Contains(s.EndpointId.Value)
                && s.Timestamp >= from && s.Timestamp < to && s.ColdStart && s.Shadow == wantShadow
                && (kind == null || s.Tier == kind) && (query.Region == null || s.Region == query.Region))
            .OrderByDescending(s => s.Timestamp)
            .Take(settings.ColdStartLimit)
            .ToListAsync(ct);

        var rows = new List<ColdStartRow>();
        var gaps = new Dictionary<Guid, IdleGap>();
        foreach (var e in events)
        {
            // Any request to the target keeps it warm, whatever its kind.
            var previous = await db.RequestSamples.AsNoTracking()
                .Where(s => s.TenantId == tenantId && s.EndpointId == e.EndpointId && s.TargetId == e.TargetId && s.Timestamp < e.Timestamp)
                .OrderByDescending(s => s.Timestamp)
                .Select(s => (DateTimeOffset?)s.Timestamp)
                .FirstOrDefaultAsync(ct);
            var target = e.TargetId is { } id ? targets.GetValueOrDefault(id) : null;
            var gap = await GapAsync(target);
            rows.Add(new ColdStartRow(
                e.Timestamp,
                e.TtftMs ?? 0,
                e.Shadow ? ServingTier.Shadow : e.Tier == TargetKind.Serverless ? ServingTier.Serverless : ServingTier.Dedicated,
                e.TargetId ?? Guid.Empty,
                e.ReplicaId,
                e.Region,
                new ColdStartRule(ColdStartRule.Default.Threshold, gap.Length).FollowedIdleGap(e.Timestamp, previous),
                target?.DeploymentId,
                e.Operation.TelemetryName()));
        }

        var idleGaps = gaps.Select(g => new IdleGapView(g.Key, targets[g.Key].Name, g.Value.Length.TotalSeconds, Source(g.Value.Source)))
            .OrderBy(g => g.Target, StringComparer.Ordinal).ToList();
        return (rows, idleGaps);

        async Task<IdleGap> GapAsync(Target? target)
        {
            if (target is null)
            {
                return IdleGapRule.Choose(null, null, TimeSpan.FromMinutes(settings.IdleGapMinutes));
            }

            if (!gaps.TryGetValue(target.Id, out var gap))
            {
                gaps[target.Id] = gap = await IdleGaps.ForAsync(db, target, settings, ct);
            }

            return gap;
        }
    }

    internal static string Source(IdleGapSource source) => source.ToString().ToLowerInvariant();
}
