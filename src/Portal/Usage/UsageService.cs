using Microsoft.EntityFrameworkCore;
using Portal.Core.Cost;
using Portal.Core.Latency;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Identity;
using Portal.Observability;
using Portal.Tenancy;

namespace Portal.Usage;

/// <summary>
/// Usage and cost of a tenant over whole UTC days: requests and tokens from the daily usage table, GPU time from the
/// replicas' real lifetimes (<see cref="DedicatedSpend"/>), up to now for today. Read by every member of the tenant.
/// </summary>
public sealed class UsageService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The longest window one report covers: a year of days.</summary>
    public const int MaxDays = 366;

    public static bool CanRead(Caller caller, Guid tenantId) =>
        caller.In(tenantId) is { } access && AccessPolicy.CanUse(Area.Usage, access.Role, caller.IsSupport, caller.IsOperator);

    public async Task<ServiceResult<UsageReport>> ReportAsync(Caller caller, Guid tenantId, UsageQuery query, CancellationToken ct = default)
    {
        if (!CanRead(caller, tenantId))
        {
            return ServiceResult<UsageReport>.NotFound("No such tenant.");
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (from, to) = (query.From ?? new DateOnly(today.Year, today.Month, 1), query.To ?? today);
        if (from.Year < 2000 || to.Year > 9998)
        {
            return ServiceResult<UsageReport>.Invalid(from.Year < 2000 ? "from" : "to", "Give days between the years 2000 and 9998.");
        }

        if (to < from)
        {
            return ServiceResult<UsageReport>.Invalid("to", "The window ends on or after the day it starts (from ≤ to).");
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            return ServiceResult<UsageReport>.Invalid("from", $"A report covers at most {MaxDays} days.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var facts = await FactsAsync(db, tenantId, from, to, clock.GetUtcNow(), ct);
        var labels = await LabelsAsync(db, tenantId, query.GroupBy, ct);
        var lines = UsageLedger.Group(facts, query.GroupBy)
            .Select(l => UsageLineView.From(l, labels(l.Group)))
            .ToList();
        var budgets = await BudgetService.StatusAsync(db, tenantId, facts.Where(f => f.Day >= new DateOnly(today.Year, today.Month, 1)).ToList(),
            UsageCost.MonthName(today), ct);
        return ServiceResult<UsageReport>.Ok(new UsageReport(
            from, to, query.GroupBy.ToString().ToLowerInvariant(), UsageLineView.From(UsageLedger.Total(facts), "Total"), lines,
            UsageLedger.DailySpend(facts, from, to).Select(d => new DailySpendView(d.Day, d.Usd)).ToList(), budgets));
    }

    /// <summary>The report's lines as CSV, with display names beside the ids.</summary>
    public static string Csv(UsageReport report) =>
        UsageCsvWriter.Write(report.Lines.Select(l => l.ToLine()), group => report.Lines.First(l => l.Group == group).Label);

    /// <summary>
    /// The usage facts of a tenant for the days [<paramref name="from"/>, <paramref name="to"/>]: the stored daily
    /// rows, and per deployment and day its replicas' GPU-hours (baseline and burst) and their price, up to <paramref name="now"/>.
    /// </summary>
    internal static async Task<List<UsageFact>> FactsAsync(PortalDbContext db, Guid tenantId, DateOnly from, DateOnly to, DateTimeOffset now,
        CancellationToken ct)
    {
        var (start, end) = (UsageCost.StartOf(from), UsageCost.StartOf(to.AddDays(1)));
        var facts = (await db.UsageDays.AsNoTracking().Where(u => u.TenantId == tenantId && u.Day >= start && u.Day < end).ToListAsync(ct))
            .Select(u => new UsageFact(DateOnly.FromDateTime(u.Day.UtcDateTime), u.EndpointId, u.KeyId, u.Model, u.Tier)
            {
                Requests = u.Requests, Errors = u.Errors, PromptTokens = u.PromptTokens, CompletionTokens = u.CompletionTokens,
                ServerlessUsd = u.ServerlessUsd,
            })
            .ToList();

        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => d.TenantId == tenantId)
            .Select(d => new
            {
                d.Id, d.ServedModelName, d.GpusPerReplica, d.PricePerGpuHour,
                Replicas = d.Replicas.Where(r => r.CreatedAt < end && (r.StoppedAt == null || r.StoppedAt > start)).ToList(),
            })
            .Where(d => d.Replicas.Count > 0)
            .ToListAsync(ct);
        if (deployments.Count == 0)
        {
            return facts;
        }

        var endpoints = await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId)
            .Select(e => new { e.Id, e.Name, Primary = e.PrimaryTarget!.DeploymentId, Secondary = e.SecondaryTarget!.DeploymentId })
            .ToListAsync(ct);
        foreach (var deployment in deployments)
        {
            // A deployment's GPU time belongs to the endpoint it serves; one that only takes shadow copies is the shadow tier's cost.
            var primaryOf = endpoints.FirstOrDefault(e => e.Primary == deployment.Id);
            var endpoint = primaryOf ?? endpoints.FirstOrDefault(e => e.Secondary == deployment.Id);
            var tier = primaryOf is null && endpoint is not null ? ServingTier.Shadow : ServingTier.Dedicated;
            var baseline = deployment.Replicas.Where(r => !r.IsBurst).Select(DeploymentSpend.Lifetime).ToList();
            var burst = deployment.Replicas.Where(r => r.IsBurst).Select(DeploymentSpend.Lifetime).ToList();
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                var dayStart = UsageCost.StartOf(day);
                var dayEnd = dayStart.AddDays(1) < now ? dayStart.AddDays(1) : now;
                if (dayEnd <= dayStart)
                {
                    break;
                }

                var baselineHours = DedicatedSpend.ReplicaHours(baseline, dayStart, dayEnd) * deployment.GpusPerReplica;
                var burstHours = DedicatedSpend.ReplicaHours(burst, dayStart, dayEnd) * deployment.GpusPerReplica;
                if (baselineHours + burstHours > 0)
                {
                    facts.Add(new UsageFact(day, endpoint?.Id, null, endpoint?.Name ?? deployment.ServedModelName, tier)
                    {
                        BaselineGpuHours = baselineHours, BurstGpuHours = burstHours,
                        DedicatedUsd = (baselineHours + burstHours) * deployment.PricePerGpuHour,
                    });
                }
            }
        }

        return facts;
    }

    /// <summary>Display names of the groups: endpoints' and keys' names (ids of deleted ones stay as they are).</summary>
    private static async Task<Func<string, string>> LabelsAsync(PortalDbContext db, Guid tenantId, UsageGroupBy groupBy, CancellationToken ct)
    {
        Dictionary<string, string> names = groupBy switch
        {
            UsageGroupBy.Endpoint => await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId)
                .ToDictionaryAsync(e => e.Id.ToString("D"), e => e.Name, ct),
            UsageGroupBy.Key => await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId)
                .ToDictionaryAsync(k => k.Id.ToString("D"), k => k.Name, ct),
            _ => [],
        };
        return group => names.TryGetValue(group, out var name) ? name
            : group.Length == 0 ? groupBy switch
            {
                UsageGroupBy.Key => "GPU time (not per key)",
                UsageGroupBy.Endpoint => "(no endpoint)",
                _ => "(none)",
            }
            : group;
    }
}
