using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Cost;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Hosting;

namespace Portal.Usage;

/// <summary>
/// Keeps usage past the raw samples' retention: every few minutes it writes today and yesterday into the daily usage
/// table (one row per tenant × endpoint × key × model × tier), then checks the budgets. A day is rewritten whole
/// (deleted and inserted in one transaction), so a re-run, or a run for a past day, gives the same rows. It reads the
/// stored samples, never the gateway's path.
/// </summary>
public sealed class UsageDayJob(IDbContextFactory<PortalDbContext> dbFactory, BudgetAlerts budgets, JobStorage jobStorage, TimeProvider clock)
{
    public const string RecurringId = "usage-days";

    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        // Another instance writing the same days: skip this tick.
        OneInstanceAtATime.RunAsync(jobStorage, "usage:days", () => RunAtAsync(clock.GetUtcNow(), cancellationToken));

    public async Task RunAtAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        // Yesterday again: the gateway writes samples in batches, so the last ones of a day may land after midnight.
        await WriteDayAsync(today.AddDays(-1), ct);
        await WriteDayAsync(today, ct);
        await budgets.EvaluateAsync(now, ct);
    }

    /// <summary>Rewrites <paramref name="day"/> (UTC) from the stored samples; returns the rows written.</summary>
    public async Task<int> WriteDayAsync(DateOnly day, CancellationToken ct)
    {
        var from = UsageCost.StartOf(day);
        var to = from.AddDays(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var prices = await db.Targets.AsNoTracking().Where(t => t.Kind == TargetKind.Serverless)
            .ToDictionaryAsync(t => t.Id, t => new TokenPrices(t.InputPricePerMillion, t.OutputPricePerMillion), ct);
        var groups = await UsageTraffic.Counted(db.RequestSamples.AsNoTracking())
            .Where(s => s.Timestamp >= from && s.Timestamp < to)
            .GroupBy(s => new { s.TenantId, s.EndpointId, s.KeyId, s.Model, s.TargetId, s.Tier, s.Shadow })
            .Select(g => new
            {
                g.Key,
                Requests = g.LongCount(),
                Errors = g.LongCount(s => s.StatusCode >= UsageCost.FirstErrorStatus),
                Prompt = g.Sum(s => (long)(s.PromptTokens ?? 0)),
                Completion = g.Sum(s => (long)(s.CompletionTokens ?? 0)),
            })
            .ToListAsync(ct);

        // Per target first (each has its prices), then summed across targets: token prices are linear, so the sum is exact.
        var rows = groups
            .Select(g => new
            {
                Row = new UsageDayRow
                {
                    TenantId = g.Key.TenantId, Day = from, EndpointId = g.Key.EndpointId, KeyId = g.Key.KeyId, Model = g.Key.Model,
                    Tier = UsageCost.TierOf(g.Key.Tier, g.Key.Shadow),
                },
                g.Requests, g.Errors, g.Prompt, g.Completion,
                Usd = UsageCost.RequestUsd(g.Key.Tier, g.Prompt, g.Completion, g.Key.TargetId is { } target ? prices.GetValueOrDefault(target) : null),
            })
            .GroupBy(r => (r.Row.TenantId, r.Row.EndpointId, r.Row.KeyId, r.Row.Model, r.Row.Tier))
            .Select(g =>
            {
                var row = g.First().Row;
                (row.Requests, row.Errors, row.PromptTokens, row.CompletionTokens, row.ServerlessUsd) =
                    (g.Sum(r => r.Requests), g.Sum(r => r.Errors), g.Sum(r => r.Prompt), g.Sum(r => r.Completion), g.Sum(r => r.Usd));
                return row;
            })
            .ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.UsageDays.Where(u => u.Day == from).ExecuteDeleteAsync(ct);
        db.UsageDays.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return rows.Count;
    }
}
