using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Cost;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Notifications;

namespace Portal.Usage;

/// <summary>
/// Checks each budget's month-to-date spend against its alert percentages (<see cref="BudgetRule"/>). A threshold
/// reached is stored with its audit record in one transaction, then told through <see cref="TenantNotices"/>; the
/// stored row (unique per budget, month and percentage) makes it told once a month, after a restart or by any instance.
/// </summary>
public sealed class BudgetAlerts(IDbContextFactory<PortalDbContext> dbFactory, AuditLog auditLog, TenantNotices notices)
{
    public const string ActorId = "system:usage";
    public const string ActorName = "Usage and budgets";

    /// <returns>The thresholds told in this run.</returns>
    public async Task<IReadOnlyList<BudgetAlert>> EvaluateAsync(DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var month = UsageCost.MonthName(today);
        var told = new List<(BudgetAlert Alert, string Scope)>();
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        // A deleted tenant spends nothing more and has no one left to tell.
        var budgets = await read.Budgets.AsNoTracking().Include(b => b.Alerts.Where(a => a.Month == month))
            .Where(b => read.Tenants.Any(t => t.Id == b.TenantId && t.DeletedAt == null))
            .ToListAsync(ct);
        foreach (var tenant in budgets.GroupBy(b => b.TenantId))
        {
            var facts = await UsageService.FactsAsync(read, tenant.Key, new DateOnly(today.Year, today.Month, 1), today, now, ct);
            var names = await read.Endpoints.AsNoTracking().Where(e => e.TenantId == tenant.Key).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
            foreach (var budget in tenant)
            {
                var spend = BudgetService.Spend(budget, facts);
                var crossed = BudgetRule.Crossed(budget.MonthlyUsd, BudgetRule.Parse(budget.AlertPercentages), spend,
                    budget.Alerts.Select(a => a.Percent).ToHashSet());
                var scope = budget.EndpointId is { } id ? $"endpoint {names.GetValueOrDefault(id, id.ToString())}" : "the tenant";
                foreach (var percent in crossed)
                {
                    if (await StoreAsync(budget, month, percent, spend, scope, now, ct) is { } alert)
                    {
                        told.Add((alert, scope));
                    }
                }
            }
        }

        foreach (var (alert, scope) in told)
        {
            await notices.PublishAsync(Notice(alert, scope), ct);
        }

        return told.Select(t => t.Alert).ToList();
    }

    /// <summary>Stores and audits one threshold; null when another run stored it first.</summary>
    private async Task<BudgetAlert?> StoreAsync(Budget budget, string month, int percent, decimal spend, string scope, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var alert = new BudgetAlert
        {
            BudgetId = budget.Id, TenantId = budget.TenantId, Month = month, Percent = percent, SpendUsd = spend, MonthlyUsd = budget.MonthlyUsd, FiredAt = now,
        };
        db.BudgetAlerts.Add(alert);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            return null;
        }

        await auditLog.RecordAnonymousAsync(db, ActorId, ActorName, budget.TenantId, "budget.threshold_reached", "budget", budget.Id.ToString(),
            AuditOutcome.Success, details: new { scope, month, percent, monthlyUsd = budget.MonthlyUsd, spendUsd = decimal.Round(spend, 6) }, cancellationToken: ct);
        await transaction.CommitAsync(ct);
        return alert;
    }

    private static TenantNotice Notice(BudgetAlert alert, string scope)
    {
        var money = (decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);
        return new TenantNotice(alert.TenantId, TenantNoticeKind.BudgetThreshold, $"budget:{alert.BudgetId}:{alert.Percent}:{alert.Month}",
            $"Spend of {scope} reached {alert.Percent} % of its budget",
            $"Spend of {scope} in {alert.Month} is {money(alert.SpendUsd)} USD, {alert.Percent} % or more of the monthly budget of {money(alert.MonthlyUsd)} USD.",
            alert.FiredAt)
        {
            Link = "/usage",
            Data = new
            {
                budgetId = alert.BudgetId, scope, month = alert.Month, percent = alert.Percent, spendUsd = alert.SpendUsd, monthlyUsd = alert.MonthlyUsd,
            },
        };
    }
}
